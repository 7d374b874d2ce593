/**
 * Plain-TypeScript elementwise kernels over typed arrays: one tight loop per op (the op is
 * chosen once, outside the loop), no allocation inside loops. Broadcast operands are walked by
 * strides with an odometer over the output's dimensions.
 */
import type { BinaryOp, TypedArray, UnaryOp } from '../backend';

/** out[i] = f(x[i]). */
export function unary(op: UnaryOp, x: TypedArray, out: TypedArray): void {
  const n = out.length;
  switch (op) {
    case 'neg':
      for (let i = 0; i < n; i++) out[i] = -x[i];
      return;
    case 'exp':
      for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]);
      return;
    case 'log':
      for (let i = 0; i < n; i++) out[i] = Math.log(x[i]);
      return;
    case 'log1p':
      for (let i = 0; i < n; i++) out[i] = Math.log1p(x[i]);
      return;
    case 'sqrt':
      for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]);
      return;
    case 'abs':
      for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]);
      return;
    case 'sign':
      for (let i = 0; i < n; i++) {
        const v = x[i];
        out[i] = v > 0 ? 1 : v < 0 ? -1 : v === 0 ? 0 : NaN;
      }
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]);
      return;
    case 'sigmoid':
      for (let i = 0; i < n; i++) {
        const v = x[i];
        out[i] = v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
      }
      return;
    case 'relu':
      for (let i = 0; i < n; i++) {
        const v = x[i];
        out[i] = v > 0 ? v : v === v ? 0 : v;
      }
      return;
    case 'sin':
      for (let i = 0; i < n; i++) out[i] = Math.sin(x[i]);
      return;
    case 'cos':
      for (let i = 0; i < n; i++) out[i] = Math.cos(x[i]);
      return;
    case 'square':
      for (let i = 0; i < n; i++) out[i] = x[i] * x[i];
      return;
    case 'reciprocal':
      for (let i = 0; i < n; i++) out[i] = 1 / x[i];
      return;
    case 'softplus':
      for (let i = 0; i < n; i++) {
        const v = x[i];
        out[i] = v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
      }
      return;
    case 'step':
      for (let i = 0; i < n; i++) out[i] = x[i] > 0 ? 1 : 0;
      return;
  }
}

/** out[i] = x[i] < 0 ? slope * x[i] : x[i]. */
export function leakyRelu(x: TypedArray, slope: number, out: TypedArray): void {
  for (let i = 0; i < out.length; i++) {
    const v = x[i];
    out[i] = v > 0 ? v : v * slope;
  }
}

/** out[i] = min(max(x[i], lo), hi), NaN kept. */
export function clamp(x: TypedArray, lo: number, hi: number, out: TypedArray): void {
  for (let i = 0; i < out.length; i++) {
    const v = x[i];
    out[i] = v < lo ? lo : v > hi ? hi : v;
  }
}

/** out[i] = a * x[i] + b. */
export function affine(x: TypedArray, a: number, b: number, out: TypedArray): void {
  for (let i = 0; i < out.length; i++) out[i] = a * x[i] + b;
}

type Combine = (x: number, y: number) => number;

const COMBINE: Record<BinaryOp, Combine> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
  pow: (x, y) => x ** y,
  maximum: (x, y) => (x !== x || y !== y ? NaN : x > y ? x : y),
  minimum: (x, y) => (x !== x || y !== y ? NaN : x < y ? x : y),
  gt: (x, y) => (x > y ? 1 : 0),
  ge: (x, y) => (x >= y ? 1 : 0),
  lt: (x, y) => (x < y ? 1 : 0),
  le: (x, y) => (x <= y ? 1 : 0),
  eq: (x, y) => (x === y ? 1 : 0),
};

/** out[index] = f(a[index . aStrides], b[index . bStrides]) over `outShape`. */
export function binary(
  op: BinaryOp,
  a: TypedArray,
  aStrides: readonly number[],
  b: TypedArray,
  bStrides: readonly number[],
  outShape: readonly number[],
  out: TypedArray,
): void {
  const n = out.length;
  if (n === 0) return;
  if (a.length === n && b.length === n && isContiguous(aStrides, outShape) && isContiguous(bStrides, outShape)) {
    // Same shapes: one flat loop per op, the common case.
    switch (op) {
      case 'add':
        for (let i = 0; i < n; i++) out[i] = a[i] + b[i];
        return;
      case 'sub':
        for (let i = 0; i < n; i++) out[i] = a[i] - b[i];
        return;
      case 'mul':
        for (let i = 0; i < n; i++) out[i] = a[i] * b[i];
        return;
      case 'div':
        for (let i = 0; i < n; i++) out[i] = a[i] / b[i];
        return;
    }
  }
  if (b.length === 1 && a.length === n && isContiguous(aStrides, outShape)) {
    const y = b[0];
    switch (op) {
      case 'add':
        for (let i = 0; i < n; i++) out[i] = a[i] + y;
        return;
      case 'sub':
        for (let i = 0; i < n; i++) out[i] = a[i] - y;
        return;
      case 'mul':
        for (let i = 0; i < n; i++) out[i] = a[i] * y;
        return;
      case 'div':
        for (let i = 0; i < n; i++) out[i] = a[i] / y;
        return;
    }
  }
  const f = COMBINE[op];
  const ndim = outShape.length;
  if (ndim === 0) {
    out[0] = f(a[0], b[0]);
    return;
  }
  // Odometer over all but the last dimension; the last runs as an inner loop.
  const last = ndim - 1;
  const inner = outShape[last];
  const sa = aStrides[last];
  const sb = bStrides[last];
  const index = new Array<number>(ndim).fill(0);
  let ia = 0;
  let ib = 0;
  for (let o = 0; o < n; o += inner) {
    let pa = ia;
    let pb = ib;
    for (let j = 0; j < inner; j++, pa += sa, pb += sb) out[o + j] = f(a[pa], b[pb]);
    for (let d = last - 1; d >= 0; d--) {
      index[d]++;
      ia += aStrides[d];
      ib += bStrides[d];
      if (index[d] < outShape[d]) break;
      ia -= aStrides[d] * outShape[d];
      ib -= bStrides[d] * outShape[d];
      index[d] = 0;
    }
  }
}

/** out = cond != 0 ? a : b, each broadcast by its strides. */
export function where(
  cond: TypedArray,
  cStrides: readonly number[],
  a: TypedArray,
  aStrides: readonly number[],
  b: TypedArray,
  bStrides: readonly number[],
  outShape: readonly number[],
  out: TypedArray,
): void {
  const ndim = outShape.length;
  const index = new Array<number>(ndim).fill(0);
  for (let o = 0; o < out.length; o++) {
    let ic = 0;
    let ia = 0;
    let ib = 0;
    for (let d = 0; d < ndim; d++) {
      ic += index[d] * cStrides[d];
      ia += index[d] * aStrides[d];
      ib += index[d] * bStrides[d];
    }
    out[o] = cond[ic] !== 0 ? a[ia] : b[ib];
    for (let d = ndim - 1; d >= 0; d--) {
      if (++index[d] < outShape[d]) break;
      index[d] = 0;
    }
  }
}

/** out[index] = x[offset + index . strides] over `shape` (materialises a view). */
export function copyStrided(
  x: TypedArray,
  offset: number,
  strides: readonly number[],
  shape: readonly number[],
  out: TypedArray,
): void {
  const ndim = shape.length;
  if (ndim === 0) {
    if (out.length > 0) out[0] = x[offset];
    return;
  }
  const last = ndim - 1;
  const inner = shape[last];
  const s = strides[last];
  const index = new Array<number>(ndim).fill(0);
  let base = offset;
  for (let o = 0; o < out.length; o += inner) {
    for (let j = 0, p = base; j < inner; j++, p += s) out[o + j] = x[p];
    for (let d = last - 1; d >= 0; d--) {
      index[d]++;
      base += strides[d];
      if (index[d] < shape[d]) break;
      base -= strides[d] * shape[d];
      index[d] = 0;
    }
  }
}

function isContiguous(strides: readonly number[], shape: readonly number[]): boolean {
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] !== 1 && strides[i] !== expected) return false;
    expected *= shape[i];
  }
  return true;
}
