/**
 * Shape ops: reshape, flatten, squeeze, unsqueeze (views sharing storage), transpose, permute
 * and expand (copies: storage stays contiguous), and dtype conversion and clone. Each one's
 * gradient is the inverse rearrangement (expand's: a sum over the repeated dimensions).
 */
import { currentBackend } from '../backend-choice';
import { checkTensor, reduceTo, tensorRule } from '../define';
import { dataOf, empty, recordTensor } from '../record';
import {
  type Shape,
  broadcastShapes,
  broadcastStrides,
  formatShape,
  normalizeAxis,
  sameShape,
  sizeOf,
  stridesOf,
} from '../shape';
import { Tensor } from '../tensor';
import type { DType } from '../../backends/backend';
import { tagForExport } from '../trace';

const RESHAPE = /* @__PURE__ */ tensorRule('reshape', [], (g, node) => [
  [node._a, reshape(g, (node._a as Tensor).shape)],
]);

export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  checkTensor('reshape', x);
  const target = resolveShape(x, shape);
  return recordTensor(new Tensor(x._storage, target), RESHAPE, x, null);
}

function resolveShape(x: Tensor, shape: readonly number[]): number[] {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < -1)) {
    throw new TypeError(`reshape(): shape must be an array of integers (one may be -1), got ${JSON.stringify(shape)}.`);
  }
  const out = shape.slice();
  const free = out.indexOf(-1);
  if (free !== out.lastIndexOf(-1))
    throw new RangeError(`reshape(): only one size can be -1, got ${formatShape(shape)}.`);
  const known = out.reduce((p, d) => (d === -1 ? p : p * d), 1);
  if (free >= 0) {
    if (known === 0 || x.size % known !== 0)
      throw new RangeError(
        `reshape(): cannot reshape a tensor of shape ${formatShape(x.shape)} (${x.size} elements) to ${formatShape(shape)}.`,
      );
    out[free] = x.size / known;
  }
  if (sizeOf(out) !== x.size)
    throw new RangeError(
      `reshape(): cannot reshape a tensor of shape ${formatShape(x.shape)} (${x.size} elements) to ${formatShape(shape)} (${sizeOf(out)} elements).`,
    );
  return out;
}

export function flatten(x: Tensor, start = 0, end = -1): Tensor {
  checkTensor('flatten', x);
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normalizeAxis('flatten', start, x.ndim);
  const e = normalizeAxis('flatten', end, x.ndim);
  if (s > e)
    throw new RangeError(
      `flatten(): start (${start}) must not come after end (${end}) for shape ${formatShape(x.shape)}.`,
    );
  const merged = x.shape.slice(s, e + 1).reduce((p, d) => p * d, 1);
  const out = reshape(x, [...x.shape.slice(0, s), merged, ...x.shape.slice(e + 1)]);
  // ONNX's Flatten makes [N, rest]: torch.flatten(x, 1) exactly (any other start stays a Reshape).
  return s === 1 && e === x.ndim - 1 ? tagForExport(out, 'Flatten', [x], { axis: 1 }) : out;
}

export function squeeze(x: Tensor, axis?: number): Tensor {
  checkTensor('squeeze', x);
  if (axis === undefined)
    return reshape(
      x,
      x.shape.filter((d) => d !== 1),
    );
  const a = normalizeAxis('squeeze', axis, x.ndim);
  return x.shape[a] === 1
    ? reshape(
        x,
        x.shape.filter((_, i) => i !== a),
      )
    : reshape(x, x.shape);
}

export function unsqueeze(x: Tensor, axis: number): Tensor {
  checkTensor('unsqueeze', x);
  const a = normalizeAxis('unsqueeze', axis, x.ndim + 1);
  const shape = x.shape.slice();
  shape.splice(a, 0, 1);
  return reshape(x, shape);
}

const PERMUTE = /* @__PURE__ */ tensorRule('permute', [], (g, node) => {
  const dims = node._ctx as number[];
  const inverse = new Array<number>(dims.length);
  dims.forEach((d, i) => (inverse[d] = i));
  return [[node._a, permute(g, inverse)]];
});

export function permute(x: Tensor, dims: readonly number[]): Tensor {
  checkTensor('permute', x);
  if (!Array.isArray(dims) || dims.length !== x.ndim)
    throw new RangeError(
      `permute(): dims must list each of the ${x.ndim} dimensions once, got ${JSON.stringify(dims)} for shape ${formatShape(x.shape)}.`,
    );
  const axes = dims.map((d) => normalizeAxis('permute', d, x.ndim));
  if (new Set(axes).size !== axes.length)
    throw new RangeError(`permute(): dims ${JSON.stringify(dims)} name a dimension twice.`);
  const strides = stridesOf(x.shape);
  const shape = axes.map((d) => x.shape[d]);
  const out = empty(shape, x.dtype);
  currentBackend().copyStrided(
    dataOf(x),
    0,
    axes.map((d) => strides[d]),
    shape,
    dataOf(out),
  );
  return recordTensor(out, PERMUTE, x, null, axes);
}

export function transpose(x: Tensor, dim0 = -2, dim1 = -1): Tensor {
  checkTensor('transpose', x);
  if (x.ndim < 2 && dim0 === -2 && dim1 === -1) return reshape(x, x.shape);
  const a = normalizeAxis('transpose', dim0, x.ndim);
  const b = normalizeAxis('transpose', dim1, x.ndim);
  const dims = x.shape.map((_, i) => i);
  [dims[a], dims[b]] = [dims[b], dims[a]];
  return permute(x, dims);
}

const EXPAND = /* @__PURE__ */ tensorRule('expand', [], (g, node) => [[node._a, reduceTo(g, node._a as Tensor)]]);

export function expand(x: Tensor, shape: readonly number[]): Tensor {
  checkTensor('expand', x);
  const target = broadcastShapes('expand', x.shape, shape);
  if (!sameShape(target, shape))
    throw new RangeError(`expand(): shape ${formatShape(x.shape)} cannot be expanded to ${formatShape(shape)}.`);
  if (sameShape(x.shape, shape)) return reshape(x, shape);
  const out = empty(target, x.dtype);
  currentBackend().copyStrided(dataOf(x), 0, broadcastStrides(x.shape, target), target, dataOf(out));
  return recordTensor(out, EXPAND, x, null);
}

const TO_TYPE = /* @__PURE__ */ tensorRule('toType', [], (g, node) => [[node._a, g.toType((node._a as Tensor).dtype)]]);

export function toType(x: Tensor, dtype: DType): Tensor {
  checkTensor('toType', x);
  if (dtype !== 'float32' && dtype !== 'float64')
    throw new TypeError(`toType(dtype): expected 'float32' or 'float64', got ${String(dtype)}.`);
  const out = empty(x.shape, dtype);
  dataOf(out).set(dataOf(x));
  return recordTensor(out, TO_TYPE, x, null);
}

const CLONE = /* @__PURE__ */ tensorRule('clone', [], (g, node) => [[node._a, g]]);

export function clone(x: Tensor): Tensor {
  checkTensor('clone', x);
  const out = empty(x.shape, x.dtype);
  dataOf(out).set(dataOf(x));
  return recordTensor(out, CLONE, x, null);
}

export type { Shape };
