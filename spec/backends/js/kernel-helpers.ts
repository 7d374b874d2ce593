/** Shared inputs for the JS kernel specs: seeded arrays and conv/pool geometries. */
import type { ConvGeometry, DType, TypedArray } from '../../../lib/backends/backend';
import { seededRng } from '../../../lib/data/random';

export const DTYPES: readonly DType[] = ['float64', 'float32'];

/** `length` seeded values in [-1, 1) (or integers in [-4, 4] when `integers`), as `dtype`. */
export function randomArray(dtype: DType, length: number, seed: number, integers = false): TypedArray {
  const rng = seededRng(seed);
  const out = dtype === 'float64' ? new Float64Array(length) : new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = integers ? Math.floor(rng() * 9) - 4 : rng() * 2 - 1;
  return out;
}

/** A typed array of `dtype` filled with NaN, so that a kernel that skips an element shows. */
export function garbage(dtype: DType, length: number): TypedArray {
  return (dtype === 'float64' ? new Float64Array(length) : new Float32Array(length)).fill(Number.NaN);
}

export interface GeometryOptions {
  n?: number;
  c?: number;
  h: number;
  w: number;
  kh: number;
  kw: number;
  stride?: [number, number];
  pad?: [number, number];
  dilation?: [number, number];
}

/** A ConvGeometry with oh/ow from PyTorch's formula floor((h + 2p - d(k-1) - 1) / s) + 1. */
export function geometry(o: GeometryOptions): ConvGeometry {
  const [strideH, strideW] = o.stride ?? [1, 1];
  const [padH, padW] = o.pad ?? [0, 0];
  const [dilationH, dilationW] = o.dilation ?? [1, 1];
  const oh = Math.floor((o.h + 2 * padH - dilationH * (o.kh - 1) - 1) / strideH) + 1;
  const ow = Math.floor((o.w + 2 * padW - dilationW * (o.kw - 1) - 1) / strideW) + 1;
  return {
    n: o.n ?? 1,
    c: o.c ?? 1,
    h: o.h,
    w: o.w,
    kh: o.kh,
    kw: o.kw,
    strideH,
    strideW,
    padH,
    padW,
    dilationH,
    dilationW,
    oh,
    ow,
  };
}

/** Geometries covering stride, padding, dilation, non-square shapes, windows larger than the input and odd sizes. */
export const GEOMETRIES: readonly ConvGeometry[] = [
  geometry({ h: 1, w: 1, kh: 1, kw: 1 }),
  geometry({ n: 2, c: 3, h: 7, w: 7, kh: 3, kw: 3 }),
  geometry({ n: 1, c: 2, h: 7, w: 5, kh: 3, kw: 2, stride: [2, 3] }),
  geometry({ n: 2, c: 1, h: 6, w: 9, kh: 3, kw: 3, pad: [1, 2] }),
  geometry({ n: 1, c: 2, h: 9, w: 8, kh: 3, kw: 2, dilation: [2, 3] }),
  geometry({ n: 2, c: 3, h: 11, w: 10, kh: 3, kw: 4, stride: [2, 2], pad: [1, 2], dilation: [2, 1] }),
  geometry({ n: 1, c: 1, h: 3, w: 3, kh: 5, kw: 5, pad: [2, 2] }),
  geometry({ n: 1, c: 2, h: 33, w: 7, kh: 7, kw: 1, stride: [3, 1], pad: [3, 0] }),
  geometry({ n: 1, c: 1, h: 4, w: 4, kh: 2, kw: 2, stride: [2, 2], pad: [1, 1], dilation: [3, 3] }),
];

/** The input position read by window (oy, ox), kernel entry (ki, kj), or null in the padding. */
export function inputAt(g: ConvGeometry, oy: number, ox: number, ki: number, kj: number): [number, number] | null {
  const iy = oy * g.strideH - g.padH + ki * g.dilationH;
  const ix = ox * g.strideW - g.padW + kj * g.dilationW;
  return iy >= 0 && iy < g.h && ix >= 0 && ix < g.w ? [iy, ix] : null;
}

/** Sum of a[i] * b[i] in float64, in index order. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
