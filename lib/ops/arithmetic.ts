/**
 * Arithmetic on Values: add, sub, mul, div, neg, pow. Each op on one screen: its method
 * declaration, its forward, its backward rule (the numeric fast path, then the same rule
 * written with the ops, for higher-order gradients; a spec checks that the two agree), and its
 * method installation. A plain number operand is a constant: kept on the node, not made a Value.
 */
import { type BackwardRule, badOperand, makeNode, needsGrad, defineRule } from '../engine/record';
import { Value } from '../engine/value';
import { defineMethod } from './install';
import { log } from './smooth';

// ── add ─────────────────────────────────────────────────────────────────────────────────────
declare module '../engine/value' {
  interface Value {
    /** `this + other`. Gradient: `grad` to both. @example new Value(2).add(3)   // Value(data=5, grad=0) */
    add(other: Value | number): Value;
  }
}

export function add(a: Value, b: Value | number): Value {
  if (typeof b === 'number') return makeNode(ADD, a.data + b, a, b, needsGrad(a));
  if (b instanceof Value) return makeNode(ADD, a.data + b.data, a, b, needsGrad(a) || needsGrad(b));
  return badOperand('add', b);
}

const ADD: BackwardRule<Value, Value> = defineRule({
  name: 'add',
  backward(node, sink) {
    const b = node._b!;
    sink.add(node._a!, sink.grad);
    if (typeof b !== 'number') sink.add(b, sink.grad);
  },
  backwardGraph(node, grad, sink) {
    const b = node._b!;
    sink.add(node._a!, grad);
    if (typeof b !== 'number') sink.add(b, grad);
  },
});

defineMethod('add', function (other) {
  return add(this, other);
});

// ── sub ─────────────────────────────────────────────────────────────────────────────────────
declare module '../engine/value' {
  interface Value {
    /** `this - other`. Gradient: `grad` to this, `-grad` to other. @example new Value(2).sub(3)   // Value(data=-1, grad=0) */
    sub(other: Value | number): Value;
  }
}

export function sub(a: Value, b: Value | number): Value {
  if (typeof b === 'number') return makeNode(SUB, a.data - b, a, b, needsGrad(a));
  if (b instanceof Value) return makeNode(SUB, a.data - b.data, a, b, needsGrad(a) || needsGrad(b));
  return badOperand('sub', b);
}

const SUB: BackwardRule<Value, Value> = defineRule({
  name: 'sub',
  backward(node, sink) {
    const b = node._b!;
    sink.add(node._a!, sink.grad);
    if (typeof b !== 'number') sink.add(b, -sink.grad);
  },
  backwardGraph(node, grad, sink) {
    const b = node._b!;
    sink.add(node._a!, grad);
    if (typeof b !== 'number') sink.add(b, neg(grad));
  },
});

defineMethod('sub', function (other) {
  return sub(this, other);
});

// ── mul ─────────────────────────────────────────────────────────────────────────────────────
declare module '../engine/value' {
  interface Value {
    /** `this * other`. Gradient: `grad * other` to this, `grad * this` to other. @example new Value(2).mul(3)   // Value(data=6, grad=0) */
    mul(other: Value | number): Value;
  }
}

export function mul(a: Value, b: Value | number): Value {
  if (typeof b === 'number') return makeNode(MUL, a.data * b, a, b, needsGrad(a));
  if (b instanceof Value) return makeNode(MUL, a.data * b.data, a, b, needsGrad(a) || needsGrad(b));
  return badOperand('mul', b);
}

const MUL: BackwardRule<Value, Value> = defineRule({
  name: 'mul',
  backward(node, sink) {
    const grad = sink.grad;
    const a = node._a!;
    const b = node._b!;
    if (typeof b === 'number') {
      sink.add(a, grad * b);
    } else {
      sink.add(a, grad * b.data);
      sink.add(b, grad * a.data);
    }
  },
  backwardGraph(node, grad, sink) {
    const b = node._b!;
    sink.add(node._a!, mul(grad, b));
    if (typeof b !== 'number') sink.add(b, mul(grad, node._a!));
  },
  whyZero: (node, index) =>
    (index === 0 ? valueOf(node._b!) : node._a!.data) === 0 ? 'a multiply by 0 (the other factor is 0)' : null,
});

const valueOf = (x: Value | number): number => (typeof x === 'number' ? x : x.data);

defineMethod('mul', function (other) {
  return mul(this, other);
});

// ── div ─────────────────────────────────────────────────────────────────────────────────────
declare module '../engine/value' {
  interface Value {
    /** `this / other`. Gradient: `grad / other` to this, `-grad * this / other²` to other. @example new Value(3).div(2)   // Value(data=1.5, grad=0) */
    div(other: Value | number): Value;
  }
}

export function div(a: Value, b: Value | number): Value {
  if (typeof b === 'number') return makeNode(DIV, a.data / b, a, b, needsGrad(a));
  if (b instanceof Value) return makeNode(DIV, a.data / b.data, a, b, needsGrad(a) || needsGrad(b));
  return badOperand('div', b);
}

const DIV: BackwardRule<Value, Value> = defineRule({
  name: 'div',
  backward(node, sink) {
    const grad = sink.grad;
    const a = node._a!;
    const b = node._b!;
    if (typeof b === 'number') {
      sink.add(a, grad / b);
    } else {
      sink.add(a, grad / b.data);
      if (needsGrad(b)) sink.add(b, (-grad * a.data) / (b.data * b.data));
    }
  },
  backwardGraph(node, grad, sink) {
    const a = node._a!;
    const b = node._b!;
    sink.add(a, div(grad, b));
    if (typeof b !== 'number' && needsGrad(b)) sink.add(b, div(mul(neg(grad), a), mul(b, b)));
  },
});

defineMethod('div', function (other) {
  return div(this, other);
});

// ── neg ─────────────────────────────────────────────────────────────────────────────────────
declare module '../engine/value' {
  interface Value {
    /** `-this`. Gradient: `-grad`. @example new Value(2).neg()   // Value(data=-2, grad=0) */
    neg(): Value;
  }
}

export function neg(a: Value): Value {
  return makeNode(NEG, -a.data, a, null, needsGrad(a));
}

const NEG: BackwardRule<Value, Value> = defineRule({
  name: 'neg',
  backward: (node, sink) => sink.add(node._a!, -sink.grad),
  backwardGraph: (node, grad, sink) => sink.add(node._a!, neg(grad)),
});

defineMethod('neg', function () {
  return neg(this);
});

// ── pow ─────────────────────────────────────────────────────────────────────────────────────
declare module '../engine/value' {
  interface Value {
    /**
     * `this ** exponent`; the exponent may be a number or a Value. Gradient: `grad * e * this^(e-1)`
     * to this (0 when e = 0), and `grad * this^e * ln(this)` to a Value exponent (0 where this = 0, e ≥ 0).
     * Both zeros are exact at every order, whatever gradient arrives (masks, not multiplies by 0).
     * @example new Value(3).pow(2)   // Value(data=9, grad=0)
     */
    pow(exponent: Value | number): Value;
  }
}

export function pow(a: Value, exponent: Value | number): Value {
  if (typeof exponent === 'number') return makeNode(POW, a.data ** exponent, a, exponent, needsGrad(a));
  if (exponent instanceof Value)
    return makeNode(POW, a.data ** exponent.data, a, exponent, needsGrad(a) || needsGrad(exponent));
  return badOperand('pow', exponent);
}

const POW: BackwardRule<Value, Value> = defineRule({
  name: 'pow',
  backward(node, sink) {
    const grad = sink.grad;
    const a = node._a!;
    const b = node._b!;
    const e = typeof b === 'number' ? b : b.data;
    // Grouped as the graph rule below (and PyTorch's pow_backward): grad * (e * x^(e-1)), so that
    // an underflowing grad * e cannot turn -Infinity into NaN on one path only.
    if (needsGrad(a)) sink.add(a, e === 0 ? 0 : grad * (e * a.data ** (e - 1)));
    if (typeof b !== 'number' && needsGrad(b))
      sink.add(b, a.data === 0 && e >= 0 ? 0 : grad * (node.data * Math.log(a.data)));
  },
  backwardGraph(node, grad, sink) {
    const a = node._a!;
    const b = node._b!;
    const e = typeof b === 'number' ? b : b.data;
    // Where the derivative is 0, nothing is sent: an exact 0 at every order (PyTorch's `where`).
    if (needsGrad(a) && e !== 0)
      sink.add(a, mul(grad, typeof b === 'number' ? mul(pow(a, b - 1), b) : mul(b, pow(a, sub(b, 1)))));
    if (typeof b !== 'number' && needsGrad(b) && !(a.data === 0 && e >= 0)) sink.add(b, mul(grad, mul(node, log(a))));
  },
});

defineMethod('pow', function (exponent) {
  return pow(this, exponent);
});
