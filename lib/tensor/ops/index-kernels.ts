/**
 * Plain loops over typed arrays for the indexing ops (slice scatter, block copies for concat
 * and pad, index-select/add, gather/scatter-add). The Backend interface has no kernels for
 * these yet; they are written with the signatures such kernels would have (typed arrays in,
 * `out` preallocated, no allocation inside loops), so they can move behind it unchanged.
 * @internal
 */
import type { TypedArray } from '../../backends/backend';

/**
 * Writes `src`, viewed as [outer, count, inner], into `out`, viewed as [outer, size, inner],
 * at positions start, start + step, … of the middle axis. `out` is not cleared.
 */
export function scatterSlice(
  src: TypedArray,
  outer: number,
  count: number,
  inner: number,
  size: number,
  start: number,
  step: number,
  out: TypedArray,
): void {
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < count; k++) {
      const from = (o * count + k) * inner;
      const to = (o * size + start + k * step) * inner;
      for (let i = 0; i < inner; i++) out[to + i] = src[from + i];
    }
  }
}

/** Copies `src` [outer, size, inner] into `out` [outer, total, inner] at offset `at` of the middle axis (concat). */
export function copyBlock(
  src: TypedArray,
  outer: number,
  size: number,
  inner: number,
  total: number,
  at: number,
  out: TypedArray,
): void {
  const block = size * inner;
  for (let o = 0; o < outer; o++) {
    const from = o * block;
    const to = (o * total + at) * inner;
    for (let i = 0; i < block; i++) out[to + i] = src[from + i];
  }
}

/** Copies `src` of `shape` into `out` of `outShape` at offset `before` in each dimension (pad's interior). */
export function copyInto(
  src: TypedArray,
  shape: readonly number[],
  out: TypedArray,
  outShape: readonly number[],
  before: readonly number[],
): void {
  const ndim = shape.length;
  if (ndim === 0) {
    if (src.length > 0) out[0] = src[0];
    return;
  }
  const last = ndim - 1;
  const row = shape[last];
  const outStrides = new Array<number>(ndim);
  for (let d = last, s = 1; d >= 0; d--) {
    outStrides[d] = s;
    s *= outShape[d];
  }
  if (src.length === 0) return;
  const index = new Array<number>(ndim).fill(0);
  let base = 0;
  for (let d = 0; d < ndim; d++) base += before[d] * outStrides[d];
  for (let from = 0; from < src.length; from += row) {
    for (let j = 0; j < row; j++) out[base + j] = src[from + j];
    for (let d = last - 1; d >= 0; d--) {
      index[d]++;
      base += outStrides[d];
      if (index[d] < shape[d]) break;
      base -= outStrides[d] * shape[d];
      index[d] = 0;
    }
  }
}

/** out [outer, m, inner] = x [outer, size, inner] at rows `index` (m of them) of the middle axis. */
export function indexSelect(
  x: TypedArray,
  outer: number,
  size: number,
  inner: number,
  index: Int32Array,
  out: TypedArray,
): void {
  const m = index.length;
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < m; k++) {
      const from = (o * size + index[k]) * inner;
      const to = (o * m + k) * inner;
      for (let i = 0; i < inner; i++) out[to + i] = x[from + i];
    }
  }
}

/** out [outer, size, inner] += src [outer, m, inner] at rows `index` of the middle axis (repeats add up). */
export function indexAdd(
  src: TypedArray,
  outer: number,
  size: number,
  inner: number,
  index: Int32Array,
  out: TypedArray,
): void {
  const m = index.length;
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < m; k++) {
      const from = (o * m + k) * inner;
      const to = (o * size + index[k]) * inner;
      for (let i = 0; i < inner; i++) out[to + i] += src[from + i];
    }
  }
}

/**
 * Walks `indexShape` in row-major order, calling `visit(p, base)` with the flat position p and
 * the offset into a tensor of strides `strides` of the same coordinates, leaving out `axis`.
 */
function walk(
  indexShape: readonly number[],
  strides: readonly number[],
  axis: number,
  count: number,
  visit: (p: number, base: number) => void,
): void {
  const ndim = indexShape.length;
  const counter = new Array<number>(ndim).fill(0);
  let base = 0;
  for (let p = 0; p < count; p++) {
    visit(p, base);
    for (let d = ndim - 1; d >= 0; d--) {
      counter[d]++;
      if (d !== axis) base += strides[d];
      if (counter[d] < indexShape[d]) break;
      if (d !== axis) base -= strides[d] * indexShape[d];
      counter[d] = 0;
    }
  }
}

/** PyTorch's gather: out[..i..] = x[..i.. with i[axis] replaced by index[..i..]], out of index's shape. */
export function gather(
  x: TypedArray,
  strides: readonly number[],
  axis: number,
  index: Int32Array,
  indexShape: readonly number[],
  out: TypedArray,
): void {
  const s = strides[axis];
  walk(indexShape, strides, axis, index.length, (p, base) => {
    out[p] = x[base + index[p] * s];
  });
}

/** PyTorch's scatter_add: out[..i.. with i[axis] replaced by index[..i..]] += src[..i..] (repeats add up). */
export function scatterAdd(
  src: TypedArray,
  strides: readonly number[],
  axis: number,
  index: Int32Array,
  indexShape: readonly number[],
  out: TypedArray,
): void {
  const s = strides[axis];
  walk(indexShape, strides, axis, index.length, (p, base) => {
    out[base + index[p] * s] += src[p];
  });
}
