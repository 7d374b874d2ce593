/**
 * Elementwise functions of one tensor. Each op's forward (a kernel), then its gradient rule
 * written with tensor ops. Piecewise rules (relu, leakyRelu, abs, clamp) use `where` masks, so
 * the gradient on the flat side is exactly 0 at every order, whatever arrives.
 */
import { currentBackend } from '../backend-choice';
import { checkTensor, tensorRule, unaryOp } from '../define';
import { dataOf, empty, recordTensor } from '../record';
import type { Tensor } from '../tensor';
import { add, div, eq, ge, gt, le, mul, sub, where } from './arithmetic';

export const exp = /* @__PURE__ */ unaryOp('exp', 'exp', (g, x, out) => mul(g, out), [-1]);
export const log = /* @__PURE__ */ unaryOp('log', 'log', (g, x) => div(g, x), [0]);
export const log1p = /* @__PURE__ */ unaryOp('log1p', 'log1p', (g, x) => div(g, add(x, 1)), [0]);
export const sqrt = /* @__PURE__ */ unaryOp('sqrt', 'sqrt', (g, x, out) => div(g, mul(out, 2)), [-1]);
export const tanh = /* @__PURE__ */ unaryOp('tanh', 'tanh', (g, x, out) => mul(g, sub(1, mul(out, out))), [-1]);
export const sigmoid = /* @__PURE__ */ unaryOp(
  'sigmoid',
  'sigmoid',
  (g, x, out) => mul(g, mul(out, sub(1, out))),
  [-1],
);
export const softplus = /* @__PURE__ */ unaryOp('softplus', 'softplus', (g, x) => mul(g, sigmoid(x)), [0]);
export const sin = /* @__PURE__ */ unaryOp('sin', 'sin', (g, x) => mul(g, cos(x)), [0]);
export const cos = /* @__PURE__ */ unaryOp('cos', 'cos', (g, x) => mul(g, sin(x)).neg(), [0]);
export const relu = /* @__PURE__ */ unaryOp('relu', 'relu', (g, x) => where(gt(x, 0), g, 0), [0]);
export const abs = /* @__PURE__ */ unaryOp('abs', 'abs', (g, x) => where(eq(x, 0), 0, mul(g, sign(x))), [0]);

/** The sign of each element (0 at 0): a constant, recording nothing. */
export function sign(x: Tensor): Tensor {
  const out = empty(x.shape, x.dtype);
  currentBackend().unary('sign', dataOf(x), dataOf(out));
  return out;
}

const LEAKY_RELU = /* @__PURE__ */ tensorRule('leakyRelu', [0], (g, node) => {
  const x = node._a as Tensor;
  return [[x, where(gt(x, 0), g, mul(g, node._ctx as number))]];
});

export function leakyRelu(x: Tensor, slope = 0.01): Tensor {
  checkTensor('leakyRelu', x);
  if (typeof slope !== 'number' || !Number.isFinite(slope))
    throw new TypeError(`leakyRelu(x, slope): slope must be a finite number, got ${String(slope)}.`);
  const out = empty(x.shape, x.dtype);
  currentBackend().leakyRelu(dataOf(x), slope, dataOf(out));
  return recordTensor(out, LEAKY_RELU, x, null, slope);
}

const CLAMP = /* @__PURE__ */ tensorRule('clamp', [0], (g, node) => {
  const x = node._a as Tensor;
  const [lo, hi] = node._ctx as [number, number];
  return [[x, where(mul(ge(x, lo), le(x, hi)), g, 0)]];
});

export function clamp(x: Tensor, min: number, max: number): Tensor {
  checkTensor('clamp', x);
  if (typeof min !== 'number' || typeof max !== 'number' || Number.isNaN(min) || Number.isNaN(max) || min > max) {
    throw new RangeError(
      `clamp(x, min, max): expected numbers with min <= max, got ${String(min)} and ${String(max)}.`,
    );
  }
  const out = empty(x.shape, x.dtype);
  currentBackend().clamp(dataOf(x), min, max, dataOf(out));
  return recordTensor(out, CLAMP, x, null, [min, max]);
}
