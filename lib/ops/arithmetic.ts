/**
 * Arithmetic: add, sub, mul, div, neg, pow. Each op is its forward function and, right below
 * it, its backward rule (numeric, then the same rule written with Value ops for higher-order
 * gradients). A plain number operand is a constant: it is kept on the node, not made a Value.
 */
import type { BackwardRule } from '../engine/record';
import { badOperand, makeNode, needsGrad } from '../engine/record';
import { Value } from '../engine/value';
import { installMethods } from './install';

declare module '../engine/value' {
  interface Value {
    /**
     * `this + other`. Gradient: passes `grad` unchanged to both operands.
     * @example new Value(2).add(3)            // Value(data=5, grad=0)
     */
    add(other: Value | number): Value;
    /**
     * `this - other`. Gradient: `grad` to this, `-grad` to other.
     * @example new Value(2).sub(3)            // Value(data=-1, grad=0)
     */
    sub(other: Value | number): Value;
    /**
     * `this * other`. Gradient: `grad * other` to this, `grad * this` to other.
     * @example new Value(2).mul(3)            // Value(data=6, grad=0)
     */
    mul(other: Value | number): Value;
    /**
     * `this / other`. Gradient: `grad / other` to this, `-grad * this / other²` to other.
     * @example new Value(3).div(2)            // Value(data=1.5, grad=0)
     */
    div(other: Value | number): Value;
    /**
     * `-this`. Gradient: `-grad`.
     * @example new Value(2).neg()             // Value(data=-2, grad=0)
     */
    neg(): Value;
    /**
     * `this ** exponent`; the exponent may be a number or a Value. Gradient: `grad * e * this^(e-1)`
     * to this (0 when e = 0), and `grad * this^e * ln(this)` to a Value exponent (0 where this = 0, e ≥ 0).
     * @example new Value(3).pow(2)            // Value(data=9, grad=0)
     */
    pow(exponent: Value | number): Value;
  }
}

export function add(a: Value, b: Value | number): Value {
  if (typeof b === 'number') return makeNode(ADD, a.data + b, a, b, needsGrad(a));
  if (b instanceof Value) return makeNode(ADD, a.data + b.data, a, b, needsGrad(a) || needsGrad(b));
  return badOperand('add', b);
}

const ADD: BackwardRule<Value, Value> = {
  name: 'add',
  backward(node, sink) {
    const grad = sink.grad;
    const b = node._b!;
    sink.add(node._a!, grad);
    if (typeof b !== 'number') sink.add(b, grad);
  },
  backwardGraph(node, grad, sink) {
    const b = node._b!;
    sink.add(node._a!, grad);
    if (typeof b !== 'number') sink.add(b, grad);
  },
};

export function sub(a: Value, b: Value | number): Value {
  if (typeof b === 'number') return makeNode(SUB, a.data - b, a, b, needsGrad(a));
  if (b instanceof Value) return makeNode(SUB, a.data - b.data, a, b, needsGrad(a) || needsGrad(b));
  return badOperand('sub', b);
}

const SUB: BackwardRule<Value, Value> = {
  name: 'sub',
  backward(node, sink) {
    const grad = sink.grad;
    const b = node._b!;
    sink.add(node._a!, grad);
    if (typeof b !== 'number') sink.add(b, -grad);
  },
  backwardGraph(node, grad, sink) {
    const b = node._b!;
    sink.add(node._a!, grad);
    if (typeof b !== 'number') sink.add(b, grad.neg());
  },
};

export function mul(a: Value, b: Value | number): Value {
  if (typeof b === 'number') return makeNode(MUL, a.data * b, a, b, needsGrad(a));
  if (b instanceof Value) return makeNode(MUL, a.data * b.data, a, b, needsGrad(a) || needsGrad(b));
  return badOperand('mul', b);
}

const MUL: BackwardRule<Value, Value> = {
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
    const a = node._a!;
    const b = node._b!;
    if (typeof b === 'number') {
      sink.add(a, grad.mul(b));
    } else {
      sink.add(a, grad.mul(b));
      sink.add(b, grad.mul(a));
    }
  },
};

export function div(a: Value, b: Value | number): Value {
  if (typeof b === 'number') return makeNode(DIV, a.data / b, a, b, needsGrad(a));
  if (b instanceof Value) return makeNode(DIV, a.data / b.data, a, b, needsGrad(a) || needsGrad(b));
  return badOperand('div', b);
}

const DIV: BackwardRule<Value, Value> = {
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
    sink.add(a, grad.div(b));
    if (typeof b !== 'number' && needsGrad(b)) sink.add(b, grad.neg().mul(a).div(b.mul(b)));
  },
};

export function neg(a: Value): Value {
  return makeNode(NEG, -a.data, a, null, needsGrad(a));
}

const NEG: BackwardRule<Value, Value> = {
  name: 'neg',
  backward(node, sink) {
    const grad = sink.grad;
    sink.add(node._a!, -grad);
  },
  backwardGraph(node, grad, sink) {
    sink.add(node._a!, grad.neg());
  },
};

export function pow(a: Value, exponent: Value | number): Value {
  if (typeof exponent === 'number') return makeNode(POW, a.data ** exponent, a, exponent, needsGrad(a));
  if (exponent instanceof Value) {
    return makeNode(POW, a.data ** exponent.data, a, exponent, needsGrad(a) || needsGrad(exponent));
  }
  return badOperand('pow', exponent);
}

const POW: BackwardRule<Value, Value> = {
  name: 'pow',
  backward(node, sink) {
    const grad = sink.grad;
    const a = node._a!;
    const b = node._b!;
    const e = typeof b === 'number' ? b : b.data;
    if (needsGrad(a)) sink.add(a, e === 0 ? 0 : grad * e * a.data ** (e - 1));
    if (typeof b !== 'number' && needsGrad(b)) {
      sink.add(b, a.data === 0 && e >= 0 ? 0 : grad * node.data * Math.log(a.data));
    }
  },
  backwardGraph(node, grad, sink) {
    const a = node._a!;
    const b = node._b!;
    if (typeof b === 'number') {
      if (needsGrad(a)) sink.add(a, b === 0 ? grad.mul(0) : grad.mul(a.pow(b - 1).mul(b)));
    } else {
      if (needsGrad(a)) sink.add(a, b.data === 0 && a.data === 0 ? grad.mul(0) : grad.mul(b.mul(a.pow(b.sub(1)))));
      if (needsGrad(b)) sink.add(b, a.data === 0 && b.data >= 0 ? grad.mul(0) : grad.mul(node.mul(a.log())));
    }
  },
};

installMethods({
  add(this: Value, other: Value | number) {
    return add(this, other);
  },
  sub(this: Value, other: Value | number) {
    return sub(this, other);
  },
  mul(this: Value, other: Value | number) {
    return mul(this, other);
  },
  div(this: Value, other: Value | number) {
    return div(this, other);
  },
  neg(this: Value) {
    return neg(this);
  },
  pow(this: Value, exponent: Value | number) {
    return pow(this, exponent);
  },
});
