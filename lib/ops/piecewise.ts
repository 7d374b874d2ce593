/**
 * Piecewise-linear ops on Values: relu, leakyRelu, abs, clamp, max, min. These are where
 * gradients die (a relu below 0, a clamp at its bound), so their conventions follow PyTorch
 * exactly: relu and abs have gradient 0 at 0, clamp passes gradient on its closed interval,
 * max/min split the gradient evenly on a tie and give all of it to both operands when either
 * is NaN. Where the derivative is 0 the rules send nothing, so the gradient there is an exact 0
 * at every order and for any incoming gradient, even ±Infinity (PyTorch's `where`, never a
 * multiply by 0).
 */
import { describeForError } from '../engine/errors';
import { formatNumber } from '../engine/format';
import { type BackwardRule, badOperand, makeNode, needsGrad, defineRule } from '../engine/record';
import { Value } from '../engine/value';
import { mul } from './arithmetic';
import { defineMethod } from './install';

function checkNumber(op: string, name: string, x: unknown): number {
  if (typeof x !== 'number' || Number.isNaN(x))
    throw new TypeError(`${op}(): ${name} must be a number, got ${describeForError(x)}.`);
  return x;
}

// ── relu ──
declare module '../engine/value' {
  interface Value {
    /** `max(this, 0)`. Gradient: `grad` where this > 0, else 0 (0 at exactly 0, as in PyTorch). @example new Value(-2).relu()   // Value(data=0, grad=0) */
    relu(): Value;
  }
}
export const relu = (a: Value): Value => makeNode(RELU, Math.max(a.data, 0), a, null, needsGrad(a));
const RELU: BackwardRule<Value, Value> = defineRule({
  name: 'relu',
  backward: (node, sink) => node._a!.data > 0 && sink.add(node._a!, sink.grad),
  backwardGraph: (node, grad, sink) => node._a!.data > 0 && sink.add(node._a!, grad),
  whyZero: (node) => (node._a!.data > 0 ? null : `a relu at ${formatNumber(node._a!.data)} (<= 0) passes no gradient`),
});
defineMethod('relu', function () {
  return relu(this);
});

// ── leakyRelu ──
declare module '../engine/value' {
  interface Value {
    /** `this` where positive, else `slope * this` (slope defaults to 0.01). Gradient: `grad` or `slope * grad`. @example new Value(-2).leakyRelu(0.1)   // Value(data=-0.2, grad=0) */
    leakyRelu(slope?: number): Value;
  }
}
export function leakyRelu(a: Value, slope = 0.01): Value {
  checkNumber('leakyRelu', 'slope', slope);
  return makeNode(LEAKY_RELU, a.data > 0 ? a.data : slope * a.data, a, slope, needsGrad(a));
}
const LEAKY_RELU: BackwardRule<Value, Value> = defineRule({
  name: 'leakyRelu',
  backward: (node, sink) => sink.add(node._a!, node._a!.data > 0 ? sink.grad : sink.grad * (node._b as number)),
  backwardGraph: (node, grad, sink) => sink.add(node._a!, node._a!.data > 0 ? grad : mul(grad, node._b as number)),
  whyZero: (node) =>
    node._a!.data > 0 || node._b !== 0 ? null : `a leakyRelu with slope 0 at ${formatNumber(node._a!.data)}`,
});
defineMethod('leakyRelu', function (slope) {
  return leakyRelu(this, slope);
});

// ── abs ──
declare module '../engine/value' {
  interface Value {
    /** `|this|`. Gradient: `grad * sign(this)`, 0 at 0 (PyTorch's convention). @example new Value(-2).abs()   // Value(data=2, grad=0) */
    abs(): Value;
  }
}
export const abs = (a: Value): Value => makeNode(ABS, Math.abs(a.data), a, null, needsGrad(a));
const ABS: BackwardRule<Value, Value> = defineRule({
  name: 'abs',
  backward: (node, sink) => {
    const x = node._a!.data;
    if (x > 0) sink.add(node._a!, sink.grad);
    else if (x < 0) sink.add(node._a!, -sink.grad);
  },
  backwardGraph: (node, grad, sink) => {
    const x = node._a!.data;
    if (x > 0) sink.add(node._a!, grad);
    else if (x < 0) sink.add(node._a!, mul(grad, -1));
  },
  whyZero: (node) => (node._a!.data === 0 ? 'abs at exactly 0 has gradient 0' : null),
});
defineMethod('abs', function () {
  return abs(this);
});

// ── clamp ──
declare module '../engine/value' {
  interface Value {
    /** Limits this to [min, max] (either may be ±Infinity). Gradient: `grad` where min ≤ this ≤ max, else 0. @example new Value(5).clamp(0, 1)   // Value(data=1, grad=0) */
    clamp(min: number, max: number): Value;
  }
}
export function clamp(a: Value, min: number, max: number): Value {
  checkNumber('clamp', 'min', min);
  checkNumber('clamp', 'max', max);
  if (min > max) throw new RangeError(`clamp(min, max): min (${min}) is greater than max (${max}); swap them.`);
  const x = a.data;
  return makeNode(CLAMP, x < min ? min : x > max ? max : x, a, null, needsGrad(a));
}
/** Whether clamp let its input through unchanged (inside the closed interval). */
const clampPasses = (node: Value): boolean => node.data === node._a!.data;
const CLAMP: BackwardRule<Value, Value> = defineRule({
  name: 'clamp',
  backward: (node, sink) => clampPasses(node) && sink.add(node._a!, sink.grad),
  backwardGraph: (node, grad, sink) => clampPasses(node) && sink.add(node._a!, grad),
  whyZero: (node) => (clampPasses(node) ? null : `a clamp at ${formatNumber(node._a!.data)}, outside its bounds`),
});
defineMethod('clamp', function (min, max) {
  return clamp(this, min, max);
});

// ── max, min ──
declare module '../engine/value' {
  interface Value {
    /** The larger of this and `other`. Gradient: to the larger one; split in half on a tie; all of it to both if either is NaN. @example new Value(2).max(3)   // Value(data=3, grad=0) */
    max(other: Value | number): Value;
    /** The smaller of this and `other`. Gradient: as max, to the smaller one. @example new Value(2).min(3)   // Value(data=2, grad=0) */
    min(other: Value | number): Value;
  }
}
export const max = (a: Value, other: Value | number): Value => extremum(MAX, a, other, Math.max);
export const min = (a: Value, other: Value | number): Value => extremum(MIN, a, other, Math.min);

function extremum(
  rule: BackwardRule<Value, Value>,
  a: Value,
  other: Value | number,
  pick: (x: number, y: number) => number,
): Value {
  if (typeof other === 'number') return makeNode(rule, pick(a.data, other), a, other, needsGrad(a));
  if (other instanceof Value)
    return makeNode(rule, pick(a.data, other.data), a, other, needsGrad(a) || needsGrad(other));
  return badOperand(rule.name, other);
}

/** The share of the gradient each operand of max (`sign` 1) or min (`sign` -1) gets, as PyTorch 1.13 computes it. */
function shareOf(node: Value, sign: 1 | -1, first: boolean): number {
  const a = node._a!.data;
  const other = node._b!;
  const b = typeof other === 'number' ? other : other.data;
  if (a === b) return 0.5;
  const diff = sign * (first ? a - b : b - a);
  return diff < 0 ? 0 : 1; // NaN: neither lost, so both get all of it
}

function extremumRule(name: string, sign: 1 | -1): BackwardRule<Value, Value> {
  return defineRule({
    name,
    backward(node, sink) {
      const other = node._b!;
      const shareA = shareOf(node, sign, true);
      if (shareA !== 0) sink.add(node._a!, shareA === 1 ? sink.grad : sink.grad * shareA);
      const shareB = shareOf(node, sign, false);
      if (typeof other !== 'number' && shareB !== 0) sink.add(other, shareB === 1 ? sink.grad : sink.grad * shareB);
    },
    backwardGraph(node, grad, sink) {
      const other = node._b!;
      const shareA = shareOf(node, sign, true);
      if (shareA !== 0) sink.add(node._a!, shareA === 1 ? grad : mul(grad, shareA));
      const shareB = shareOf(node, sign, false);
      if (typeof other !== 'number' && shareB !== 0) sink.add(other, shareB === 1 ? grad : mul(grad, shareB));
    },
    whyZero: (node, index) => (shareOf(node, sign, index === 0) === 0 ? `the other operand of ${name} won` : null),
  });
}
const MAX = extremumRule('max', 1);
const MIN = extremumRule('min', -1);
defineMethod('max', function (other) {
  return max(this, other);
});
defineMethod('min', function (other) {
  return min(this, other);
});
