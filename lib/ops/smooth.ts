/**
 * Smooth unary functions: exp, log, log1p, sqrt, sin, cos, tanh, sigmoid, softplus. Each op's
 * forward, then its backward rule (numeric, then with Value ops for higher-order gradients).
 * Rules that can reuse the output (exp, sqrt, tanh, sigmoid) read it from the node itself.
 */
import type { BackwardRule } from '../engine/record';
import { makeNode, needsGrad } from '../engine/record';
import { Value } from '../engine/value';
import { installMethods } from './install';

declare module '../engine/value' {
  interface Value {
    /**
     * `e^this`. Gradient: `grad * e^this`.
     * @example new Value(0).exp()             // Value(data=1, grad=0)
     */
    exp(): Value;
    /**
     * Natural logarithm. Gradient: `grad / this` (IEEE: log(0) = -Infinity, log(-1) = NaN).
     * @example new Value(1).log()             // Value(data=0, grad=0)
     */
    log(): Value;
    /**
     * `ln(1 + this)`, accurate near 0. Gradient: `grad / (1 + this)`.
     * @example new Value(0).log1p()           // Value(data=0, grad=0)
     */
    log1p(): Value;
    /**
     * Square root. Gradient: `grad / (2 sqrt(this))` (Infinity at 0).
     * @example new Value(9).sqrt()            // Value(data=3, grad=0)
     */
    sqrt(): Value;
    /**
     * Sine. Gradient: `grad * cos(this)`.
     * @example new Value(0).sin()             // Value(data=0, grad=0)
     */
    sin(): Value;
    /**
     * Cosine. Gradient: `-grad * sin(this)`.
     * @example new Value(0).cos()             // Value(data=1, grad=0)
     */
    cos(): Value;
    /**
     * Hyperbolic tangent. Gradient: `grad * (1 - tanh²)`.
     * @example new Value(0).tanh()            // Value(data=0, grad=0)
     */
    tanh(): Value;
    /**
     * Logistic sigmoid `1 / (1 + e^-this)`, computed without overflow. Gradient: `grad * s * (1 - s)`.
     * @example new Value(0).sigmoid()         // Value(data=0.5, grad=0)
     */
    sigmoid(): Value;
    /**
     * `ln(1 + e^this)`, computed without overflow. Gradient: `grad * sigmoid(this)`.
     * @example new Value(0).softplus()        // Value(data=0.693147, grad=0)
     */
    softplus(): Value;
  }
}

function unary(rule: BackwardRule<Value, Value>, data: number, a: Value): Value {
  return makeNode(rule, data, a, null, needsGrad(a));
}

const EXP: BackwardRule<Value, Value> = {
  name: 'exp',
  backward: (node, sink) => sink.add(node._a!, sink.grad * node.data),
  backwardGraph: (node, grad, sink) => sink.add(node._a!, grad.mul(node)),
};

const LOG: BackwardRule<Value, Value> = {
  name: 'log',
  backward: (node, sink) => sink.add(node._a!, sink.grad / node._a!.data),
  backwardGraph: (node, grad, sink) => sink.add(node._a!, grad.div(node._a!)),
};

const LOG1P: BackwardRule<Value, Value> = {
  name: 'log1p',
  backward: (node, sink) => sink.add(node._a!, sink.grad / (1 + node._a!.data)),
  backwardGraph: (node, grad, sink) => sink.add(node._a!, grad.div(node._a!.add(1))),
};

const SQRT: BackwardRule<Value, Value> = {
  name: 'sqrt',
  backward: (node, sink) => sink.add(node._a!, sink.grad / (2 * node.data)),
  backwardGraph: (node, grad, sink) => sink.add(node._a!, grad.div(node.mul(2))),
};

const SIN: BackwardRule<Value, Value> = {
  name: 'sin',
  backward: (node, sink) => sink.add(node._a!, sink.grad * Math.cos(node._a!.data)),
  backwardGraph: (node, grad, sink) => sink.add(node._a!, grad.mul(node._a!.cos())),
};

const COS: BackwardRule<Value, Value> = {
  name: 'cos',
  backward: (node, sink) => sink.add(node._a!, -sink.grad * Math.sin(node._a!.data)),
  backwardGraph: (node, grad, sink) => sink.add(node._a!, grad.mul(node._a!.sin()).neg()),
};

const TANH: BackwardRule<Value, Value> = {
  name: 'tanh',
  backward: (node, sink) => sink.add(node._a!, sink.grad * (1 - node.data * node.data)),
  backwardGraph: (node, grad, sink) => sink.add(node._a!, grad.mul(node.mul(node).neg().add(1))),
};

const SIGMOID: BackwardRule<Value, Value> = {
  name: 'sigmoid',
  backward: (node, sink) => sink.add(node._a!, sink.grad * node.data * (1 - node.data)),
  backwardGraph: (node, grad, sink) => sink.add(node._a!, grad.mul(node.mul(node.neg().add(1)))),
};

const SOFTPLUS: BackwardRule<Value, Value> = {
  name: 'softplus',
  backward: (node, sink) => sink.add(node._a!, sink.grad * sigmoidOf(node._a!.data)),
  backwardGraph: (node, grad, sink) => sink.add(node._a!, grad.mul(node._a!.sigmoid())),
};

/** The logistic function without overflow for large |x|. */
function sigmoidOf(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

installMethods({
  exp(this: Value) {
    return unary(EXP, Math.exp(this.data), this);
  },
  log(this: Value) {
    return unary(LOG, Math.log(this.data), this);
  },
  log1p(this: Value) {
    return unary(LOG1P, Math.log1p(this.data), this);
  },
  sqrt(this: Value) {
    return unary(SQRT, Math.sqrt(this.data), this);
  },
  sin(this: Value) {
    return unary(SIN, Math.sin(this.data), this);
  },
  cos(this: Value) {
    return unary(COS, Math.cos(this.data), this);
  },
  tanh(this: Value) {
    return unary(TANH, Math.tanh(this.data), this);
  },
  sigmoid(this: Value) {
    return unary(SIGMOID, sigmoidOf(this.data), this);
  },
  softplus(this: Value) {
    const x = this.data;
    return unary(SOFTPLUS, Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))), this);
  },
});
