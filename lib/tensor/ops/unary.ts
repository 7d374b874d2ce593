/**
 * Elementwise functions of one tensor. Each op's forward (a kernel), then its gradient rule
 * written with tensor ops. Piecewise rules (relu, leakyRelu, abs, clamp) use `where` masks, so
 * the gradient on the flat side is exactly 0 at every order, whatever arrives.
 */
import { currentBackend } from '../backend-choice';
import { checkTensor, defineMethods, tensorRule, unaryOp } from '../define';
import { dataOf, empty, recordTensor } from '../record';
import type { Tensor } from '../tensor';
import { add, div, eq, ge, gt, le, mul, sub, where } from './arithmetic';

declare module '../tensor' {
  interface Tensor {
    /** e^x. @example tensor([0]).exp().toArray()   // [1] */
    exp(): Tensor;
    /** Natural log. @example tensor([1]).log().toArray()   // [0] */
    log(): Tensor;
    /** ln(1 + x). @example tensor([0]).log1p().toArray()   // [0] */
    log1p(): Tensor;
    /** Square root. @example tensor([9]).sqrt().toArray()   // [3] */
    sqrt(): Tensor;
    /** Hyperbolic tangent. @example tensor([0]).tanh().toArray()   // [0] */
    tanh(): Tensor;
    /** Logistic sigmoid, without overflow. @example tensor([0]).sigmoid().toArray()   // [0.5] */
    sigmoid(): Tensor;
    /** ln(1 + e^x), without overflow. */
    softplus(): Tensor;
    /** Sine. */
    sin(): Tensor;
    /** Cosine. */
    cos(): Tensor;
    /** max(x, 0); gradient 0 at and below 0 (as PyTorch). @example tensor([-1, 2]).relu().toArray()   // [0, 2] */
    relu(): Tensor;
    /** x where positive, else slope * x (slope defaults to 0.01). @example tensor([-10, 2]).leakyRelu(0.1).toArray()   // [-1, 2] */
    leakyRelu(slope?: number): Tensor;
    /** |x|; gradient 0 at 0 (as PyTorch). @example tensor([-2]).abs().toArray()   // [2] */
    abs(): Tensor;
    /** Limits x to [min, max]; gradient passes on the closed interval. @example tensor([-2, 0.5, 3]).clamp(0, 1).toArray()   // [0, 0.5, 1] */
    clamp(min: number, max: number): Tensor;
  }
}

export const exp = unaryOp('exp', 'exp', (g, x, out) => mul(g, out), [-1]);
export const log = unaryOp('log', 'log', (g, x) => div(g, x), [0]);
export const log1p = unaryOp('log1p', 'log1p', (g, x) => div(g, add(x, 1)), [0]);
export const sqrt = unaryOp('sqrt', 'sqrt', (g, x, out) => div(g, mul(out, 2)), [-1]);
export const tanh = unaryOp('tanh', 'tanh', (g, x, out) => mul(g, sub(1, mul(out, out))), [-1]);
export const sigmoid = unaryOp('sigmoid', 'sigmoid', (g, x, out) => mul(g, mul(out, sub(1, out))), [-1]);
export const softplus = unaryOp('softplus', 'softplus', (g, x) => mul(g, sigmoid(x)), [0]);
export const sin = unaryOp('sin', 'sin', (g, x) => mul(g, cos(x)), [0]);
export const cos = unaryOp('cos', 'cos', (g, x) => mul(g, sin(x)).neg(), [0]);
export const relu = unaryOp('relu', 'relu', (g, x) => where(gt(x, 0), g, 0), [0]);
export const abs = unaryOp('abs', 'abs', (g, x) => where(eq(x, 0), 0, mul(g, sign(x))), [0]);

/** The sign of each element (0 at 0): a constant, recording nothing. */
export function sign(x: Tensor): Tensor {
  const out = empty(x.shape, x.dtype);
  currentBackend().unary('sign', dataOf(x), dataOf(out));
  return out;
}

const LEAKY_RELU = tensorRule('leakyRelu', [0], (g, node) => {
  const x = node._a as Tensor;
  return [[x, where(gt(x, 0), g, mul(g, node._ctx as number))]];
});

export function leakyRelu(x: Tensor, slope = 0.01): Tensor {
  checkTensor('leakyRelu', x);
  if (typeof slope !== 'number' || !Number.isFinite(slope)) throw new TypeError(`leakyRelu(x, slope): slope must be a finite number, got ${String(slope)}.`);
  const out = empty(x.shape, x.dtype);
  currentBackend().leakyRelu(dataOf(x), slope, dataOf(out));
  return recordTensor(out, LEAKY_RELU, x, null, slope);
}

const CLAMP = tensorRule('clamp', [0], (g, node) => {
  const x = node._a as Tensor;
  const [lo, hi] = node._ctx as [number, number];
  return [[x, where(mul(ge(x, lo), le(x, hi)), g, 0)]];
});

export function clamp(x: Tensor, min: number, max: number): Tensor {
  checkTensor('clamp', x);
  if (typeof min !== 'number' || typeof max !== 'number' || Number.isNaN(min) || Number.isNaN(max) || min > max) {
    throw new RangeError(`clamp(x, min, max): expected numbers with min <= max, got ${String(min)} and ${String(max)}.`);
  }
  const out = empty(x.shape, x.dtype);
  currentBackend().clamp(dataOf(x), min, max, dataOf(out));
  return recordTensor(out, CLAMP, x, null, [min, max]);
}

defineMethods({
  exp() { return exp(this); },
  log() { return log(this); },
  log1p() { return log1p(this); },
  sqrt() { return sqrt(this); },
  tanh() { return tanh(this); },
  sigmoid() { return sigmoid(this); },
  softplus() { return softplus(this); },
  sin() { return sin(this); },
  cos() { return cos(this); },
  relu() { return relu(this); },
  leakyRelu(slope) { return leakyRelu(this, slope); },
  abs() { return abs(this); },
  clamp(min, max) { return clamp(this, min, max); },
});
