/**
 * Smooth functions of one Value: exp, log, log1p, sqrt, sin, cos, tanh, sigmoid, softplus. Each
 * op in one block: declaration, forward, rule (numeric fast path, then the same rule with ops,
 * for higher-order gradients; a spec checks they agree), installation. Rules that can reuse the
 * output (exp, sqrt, tanh, sigmoid) read it from the node itself.
 */
import { type BackwardRule, makeNode, needsGrad, defineRule } from '../engine/record';
import type { Value } from '../engine/value';
import { add, div, mul, neg } from './arithmetic';
import { defineMethod } from './install';

function unary(rule: BackwardRule<Value, Value>, data: number, a: Value): Value {
  return makeNode(rule, data, a, null, needsGrad(a));
}

declare module '../engine/value' {
  interface Value {
    /** `e^this`. Gradient: `grad * e^this`. @example new Value(0).exp()   // Value(data=1, grad=0) */
    exp(): Value;
    /** Natural logarithm. Gradient: `grad / this` (IEEE: log(0) = -Infinity, log(-1) = NaN). @example new Value(1).log()   // Value(data=0, grad=0) */
    log(): Value;
    /** `ln(1 + this)`, accurate near 0. Gradient: `grad / (1 + this)`. @example new Value(0).log1p()   // Value(data=0, grad=0) */
    log1p(): Value;
    /** Square root. Gradient: `grad / (2 sqrt(this))` (Infinity at 0). @example new Value(9).sqrt()   // Value(data=3, grad=0) */
    sqrt(): Value;
    /** Sine. Gradient: `grad * cos(this)`. @example new Value(0).sin()   // Value(data=0, grad=0) */
    sin(): Value;
    /** Cosine. Gradient: `-grad * sin(this)`. @example new Value(0).cos()   // Value(data=1, grad=0) */
    cos(): Value;
    /** Hyperbolic tangent. Gradient: `grad * (1 - tanh²)`. @example new Value(0).tanh()   // Value(data=0, grad=0) */
    tanh(): Value;
    /** Logistic sigmoid `1 / (1 + e^-this)`, without overflow. Gradient: `grad * s * (1 - s)`. @example new Value(0).sigmoid()   // Value(data=0.5, grad=0) */
    sigmoid(): Value;
    /** `ln(1 + e^this)`, without overflow. Gradient: `grad * sigmoid(this)`. @example new Value(0).softplus()   // Value(data=0.693147, grad=0) */
    softplus(): Value;
  }
}

// ── exp ──
export const exp = (a: Value): Value => unary(EXP, Math.exp(a.data), a);
const EXP: BackwardRule<Value, Value> = defineRule({
  name: 'exp',
  backward: (node, sink) => sink.add(node._a!, sink.grad * node.data),
  backwardGraph: (node, grad, sink) => sink.add(node._a!, mul(grad, node)),
});
defineMethod('exp', function () {
  return exp(this);
});

// ── log ──
export const log = (a: Value): Value => unary(LOG, Math.log(a.data), a);
const LOG: BackwardRule<Value, Value> = defineRule({
  name: 'log',
  backward: (node, sink) => sink.add(node._a!, sink.grad / node._a!.data),
  backwardGraph: (node, grad, sink) => sink.add(node._a!, div(grad, node._a!)),
});
defineMethod('log', function () {
  return log(this);
});

// ── log1p ──
export const log1p = (a: Value): Value => unary(LOG1P, Math.log1p(a.data), a);
const LOG1P: BackwardRule<Value, Value> = {
  name: 'log1p',
  backward: (node, sink) => sink.add(node._a!, sink.grad / (1 + node._a!.data)),
  backwardGraph: (node, grad, sink) => sink.add(node._a!, div(grad, add(node._a!, 1))),
};
defineMethod('log1p', function () {
  return log1p(this);
});

// ── sqrt ──
export const sqrt = (a: Value): Value => unary(SQRT, Math.sqrt(a.data), a);
const SQRT: BackwardRule<Value, Value> = defineRule({
  name: 'sqrt',
  backward: (node, sink) => sink.add(node._a!, sink.grad / (2 * node.data)),
  backwardGraph: (node, grad, sink) => sink.add(node._a!, div(grad, mul(node, 2))),
});
defineMethod('sqrt', function () {
  return sqrt(this);
});

// ── sin ──
export const sin = (a: Value): Value => unary(SIN, Math.sin(a.data), a);
const SIN: BackwardRule<Value, Value> = defineRule({
  name: 'sin',
  backward: (node, sink) => sink.add(node._a!, sink.grad * Math.cos(node._a!.data)),
  backwardGraph: (node, grad, sink) => sink.add(node._a!, mul(grad, cos(node._a!))),
});
defineMethod('sin', function () {
  return sin(this);
});

// ── cos ──
export const cos = (a: Value): Value => unary(COS, Math.cos(a.data), a);
const COS: BackwardRule<Value, Value> = defineRule({
  name: 'cos',
  backward: (node, sink) => sink.add(node._a!, -sink.grad * Math.sin(node._a!.data)),
  backwardGraph: (node, grad, sink) => sink.add(node._a!, neg(mul(grad, sin(node._a!)))),
});
defineMethod('cos', function () {
  return cos(this);
});

// ── tanh ──
export const tanh = (a: Value): Value => unary(TANH, Math.tanh(a.data), a);
const TANH: BackwardRule<Value, Value> = defineRule({
  name: 'tanh',
  backward: (node, sink) => sink.add(node._a!, sink.grad * (1 - node.data * node.data)),
  backwardGraph: (node, grad, sink) => sink.add(node._a!, mul(grad, add(neg(mul(node, node)), 1))),
});
defineMethod('tanh', function () {
  return tanh(this);
});

// ── sigmoid ──
export const sigmoid = (a: Value): Value => unary(SIGMOID, sigmoidOf(a.data), a);
const SIGMOID: BackwardRule<Value, Value> = defineRule({
  name: 'sigmoid',
  backward: (node, sink) => sink.add(node._a!, sink.grad * node.data * (1 - node.data)),
  backwardGraph: (node, grad, sink) => sink.add(node._a!, mul(grad, mul(node, add(neg(node), 1)))),
});
defineMethod('sigmoid', function () {
  return sigmoid(this);
});

/** The logistic function without overflow for large |x|. */
function sigmoidOf(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

// ── softplus ──
export const softplus = (a: Value): Value =>
  unary(SOFTPLUS, Math.max(a.data, 0) + Math.log1p(Math.exp(-Math.abs(a.data))), a);
const SOFTPLUS: BackwardRule<Value, Value> = defineRule({
  name: 'softplus',
  backward: (node, sink) => sink.add(node._a!, sink.grad * sigmoidOf(node._a!.data)),
  backwardGraph: (node, grad, sink) => sink.add(node._a!, mul(grad, sigmoid(node._a!))),
});
defineMethod('softplus', function () {
  return softplus(this);
});
