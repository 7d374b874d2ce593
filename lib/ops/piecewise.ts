/**
 * Piecewise-linear ops: relu, leakyRelu, abs, clamp, max, min. These are where gradients die
 * (a relu below 0, a clamp at its bound), so their conventions follow PyTorch exactly:
 * relu and abs have gradient 0 at 0, clamp passes gradient on its closed interval, and
 * max/min split the gradient evenly on a tie.
 */
import { describeForError } from '../engine/errors';
import type { BackwardRule } from '../engine/record';
import { badOperand, makeNode, needsGrad } from '../engine/record';
import { Value } from '../engine/value';
import { installMethods } from './install';

declare module '../engine/value' {
  interface Value {
    /**
     * `max(this, 0)`. Gradient: `grad` where this > 0, else 0 (0 at exactly 0, as in PyTorch).
     * @example new Value(-2).relu()           // Value(data=0, grad=0)
     */
    relu(): Value;
    /**
     * `this` where positive, else `slope * this` (slope defaults to 0.01). Gradient: `grad` or `slope * grad`.
     * @example new Value(-2).leakyRelu(0.1)   // Value(data=-0.2, grad=0)
     */
    leakyRelu(slope?: number): Value;
    /**
     * `|this|`. Gradient: `grad * sign(this)`, 0 at 0 (PyTorch's convention).
     * @example new Value(-2).abs()            // Value(data=2, grad=0)
     */
    abs(): Value;
    /**
     * Limits this to [min, max] (either may be ±Infinity). Gradient: `grad` where min ≤ this ≤ max, else 0.
     * @example new Value(5).clamp(0, 1)       // Value(data=1, grad=0)
     */
    clamp(min: number, max: number): Value;
    /**
     * The larger of this and `other`. Gradient: to the larger one; split in half on a tie.
     * @example new Value(2).max(3)            // Value(data=3, grad=0)
     */
    max(other: Value | number): Value;
    /**
     * The smaller of this and `other`. Gradient: to the smaller one; split in half on a tie.
     * @example new Value(2).min(3)            // Value(data=2, grad=0)
     */
    min(other: Value | number): Value;
  }
}

/** The slope of the gradient through a relu/leakyRelu node: 1 above 0, else the leak. */
function leakSlope(node: Value): number {
  const slope = node._b;
  return node._a!.data > 0 ? 1 : typeof slope === 'number' ? slope : 0;
}

const RELU: BackwardRule<Value, Value> = {
  name: 'relu',
  backward: (node, sink) => sink.add(node._a!, node._a!.data > 0 ? sink.grad : 0),
  backwardGraph: (node, grad, sink) => sink.add(node._a!, grad.mul(leakSlope(node))),
};

const LEAKY_RELU: BackwardRule<Value, Value> = {
  name: 'leakyRelu',
  backward: (node, sink) => sink.add(node._a!, sink.grad * leakSlope(node)),
  backwardGraph: (node, grad, sink) => sink.add(node._a!, grad.mul(leakSlope(node))),
};

/** The sign as PyTorch computes it, `(x > 0) - (x < 0)`: 0 (never -0) at ±0, 0 for NaN. */
function signOf(x: number): number {
  return x > 0 ? 1 : x < 0 ? -1 : 0;
}

const ABS: BackwardRule<Value, Value> = {
  name: 'abs',
  backward: (node, sink) => sink.add(node._a!, sink.grad * signOf(node._a!.data)),
  backwardGraph: (node, grad, sink) => sink.add(node._a!, grad.mul(signOf(node._a!.data))),
};

/** 1 where clamp let its input through unchanged (inside the closed interval), else 0. */
function clampPasses(node: Value): number {
  return node.data === node._a!.data ? 1 : 0;
}

const CLAMP: BackwardRule<Value, Value> = {
  name: 'clamp',
  backward: (node, sink) => sink.add(node._a!, sink.grad * clampPasses(node)),
  backwardGraph: (node, grad, sink) => sink.add(node._a!, grad.mul(clampPasses(node))),
};

/**
 * The share of the gradient that goes to the first operand of max (`sign` 1) or min (`sign` -1):
 * 1 if it won, 0 if it lost, 0.5 on a tie. The other operand gets the rest.
 */
function winnerShare(node: Value, sign: 1 | -1): number {
  const a = node._a!.data;
  const other = node._b!;
  const b = typeof other === 'number' ? other : other.data;
  if (a === b) return 0.5;
  return sign * (a - b) > 0 ? 1 : 0;
}

function extremumRule(name: string, sign: 1 | -1): BackwardRule {
  return {
    name,
    backward(node, sink) {
    const grad = sink.grad;
      const share = winnerShare(node, sign);
      const other = node._b!;
      sink.add(node._a!, grad * share);
      if (typeof other !== 'number') sink.add(other, grad * (1 - share));
    },
    backwardGraph(node, grad, sink) {
      const share = winnerShare(node, sign);
      const other = node._b!;
      sink.add(node._a!, grad.mul(share));
      if (typeof other !== 'number') sink.add(other, grad.mul(1 - share));
    },
  };
}

const MAX = extremumRule('max', 1);
const MIN = extremumRule('min', -1);

function extremum(rule: BackwardRule, a: Value, other: Value | number, pick: (x: number, y: number) => number): Value {
  if (typeof other === 'number') return makeNode(rule, pick(a.data, other), a, other, needsGrad(a));
  if (other instanceof Value) {
    return makeNode(rule, pick(a.data, other.data), a, other, needsGrad(a) || needsGrad(other));
  }
  return badOperand(rule.name, other);
}

function checkNumber(op: string, name: string, x: unknown): number {
  if (typeof x !== 'number' || Number.isNaN(x)) {
    throw new TypeError(`${op}(): ${name} must be a number, got ${describeForError(x)}.`);
  }
  return x;
}

installMethods({
  relu(this: Value) {
    return makeNode(RELU, Math.max(this.data, 0), this, null, needsGrad(this));
  },
  leakyRelu(this: Value, slope: number = 0.01) {
    checkNumber('leakyRelu', 'slope', slope);
    const x = this.data;
    return makeNode(LEAKY_RELU, x > 0 ? x : slope * x, this, slope, needsGrad(this));
  },
  abs(this: Value) {
    return makeNode(ABS, Math.abs(this.data), this, null, needsGrad(this));
  },
  clamp(this: Value, min: number, max: number) {
    checkNumber('clamp', 'min', min);
    checkNumber('clamp', 'max', max);
    if (min > max) throw new RangeError(`clamp(min, max): min (${min}) is greater than max (${max}); swap them.`);
    const x = this.data;
    return makeNode(CLAMP, x < min ? min : x > max ? max : x, this, null, needsGrad(this));
  },
  max(this: Value, other: Value | number) {
    return extremum(MAX, this, other, Math.max);
  },
  min(this: Value, other: Value | number) {
    return extremum(MIN, this, other, Math.min);
  },
});
