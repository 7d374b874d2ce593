/**
 * Cache-blocked matrix product over typed arrays (the JS backend's `matmul`), in the layout of
 * GotoBLAS/BLIS: B is packed into column panels NR wide and A into row panels MR tall, both in
 * Float64Arrays reused across calls, and a 4×4 tile of C is kept in local variables while the
 * k loop runs over the packed panels. Nothing is allocated per call once the packing buffers
 * have grown to the largest block seen.
 *
 * Summation order: every element of C is the sum over k in blocks of KC (256) consecutive
 * indices; within a block the products are added in index order to an accumulator starting at
 * 0, and the block sums are added to C in block order. With k <= KC this is exactly the
 * straightforward loop (`s = 0; for p: s += a[i][p] * b[p][j]`), bit for bit in float64. For
 * float32 inputs the products and sums are computed in float64 and rounded to float32 when
 * stored (after each k block), so results are at least as accurate as a float32 loop.
 * @internal
 */
import type { TypedArray } from '../backend';

/** Rows of a micro-tile (A panel height) and columns (B panel width). */
const MR = 4;
const NR = 4;
/** Depth of a k block, rows of A per packed block, columns of B per packed block. */
const KC = 256;
const MC = 128;
const NC = 1024;
const EMPTY = /* @__PURE__ */ new Float64Array(0);

// Packing buffers, reused across calls and grown on demand (allocated on first use, so loading
// this module allocates nothing).
let packA = EMPTY;
let packB = EMPTY;

/**
 * Batched C = op(A) · op(B) with the signature of `Backend.matmul`: for each of `batch` pairs,
 * `out[b*m*n + i*n + j] = sum_p A(i, p) * B(p, j)`, where A(i, p) = a[b*aBatchStride + i*k + p]
 * (or `+ p*m + i` when `transA`) and B(p, j) = b[b*bBatchStride + p*n + j] (or `+ j*k + p`
 * when `transB`). A batch stride of 0 reuses one matrix for every batch entry.
 * @example
 * const out = new Float64Array(4);
 * matmul(new Float64Array([1, 2, 3, 4]), new Float64Array([5, 6, 7, 8]), out, 1, 2, 2, 2, 0, 0, false, false);
 * // out = [19, 22, 43, 50]
 */
export function matmul(
  a: TypedArray,
  b: TypedArray,
  out: TypedArray,
  batch: number,
  m: number,
  k: number,
  n: number,
  aBatchStride: number,
  bBatchStride: number,
  transA: boolean,
  transB: boolean,
): void {
  if (m === 0 || n === 0) return;
  // The blocks below add into out: start from zero (out may be an uninitialised buffer).
  out.fill(0, 0, batch * m * n);
  if (k === 0) return;
  // Element strides of A (rows, columns) and B.
  const aRow = transA ? 1 : k;
  const aCol = transA ? m : 1;
  const bRow = transB ? 1 : n;
  const bCol = transB ? k : 1;
  for (let t = 0; t < batch; t++) {
    const aBase = t * aBatchStride;
    const bBase = t * bBatchStride;
    const cBase = t * m * n;
    for (let jc = 0; jc < n; jc += NC) {
      const nc = Math.min(NC, n - jc);
      for (let pc = 0; pc < k; pc += KC) {
        const kc = Math.min(KC, k - pc);
        const bp = packPanelsB(b, bBase + pc * bRow + jc * bCol, bRow, bCol, kc, nc);
        for (let ic = 0; ic < m; ic += MC) {
          const mc = Math.min(MC, m - ic);
          const ap = packPanelsA(a, aBase + ic * aRow + pc * aCol, aRow, aCol, mc, kc);
          for (let jr = 0; jr < nc; jr += NR) {
            const nr = Math.min(NR, nc - jr);
            for (let ir = 0; ir < mc; ir += MR) {
              const mr = Math.min(MR, mc - ir);
              kernel4x4(kc, ap, ir * kc, bp, jr * kc, out, cBase + (ic + ir) * n + jc + jr, n, mr, nr, pc > 0);
            }
          }
        }
      }
    }
  }
}

/** Packs rows [0, mc) × columns [0, kc) of A (strides aRow, aCol from `offset`) into panels of MR rows: panel r holds (p, i) at r*kc + p*MR + i, zero-padded. */
function packPanelsA(a: TypedArray, offset: number, aRow: number, aCol: number, mc: number, kc: number): Float64Array {
  const panels = Math.ceil(mc / MR);
  if (packA.length < panels * MR * kc) packA = new Float64Array(panels * MR * kc);
  const ap = packA;
  for (let r = 0; r < panels; r++) {
    const rows = Math.min(MR, mc - r * MR);
    const dst = r * MR * kc;
    for (let i = 0; i < MR; i++) {
      if (i >= rows) {
        for (let p = 0; p < kc; p++) ap[dst + p * MR + i] = 0;
        continue;
      }
      let src = offset + (r * MR + i) * aRow;
      for (let p = 0; p < kc; p++, src += aCol) ap[dst + p * MR + i] = a[src];
    }
  }
  return ap;
}

/** Packs rows [0, kc) × columns [0, nc) of B into panels of NR columns: panel c holds (p, j) at c*kc*NR + p*NR + j, zero-padded. */
function packPanelsB(b: TypedArray, offset: number, bRow: number, bCol: number, kc: number, nc: number): Float64Array {
  const panels = Math.ceil(nc / NR);
  if (packB.length < panels * NR * kc) packB = new Float64Array(panels * NR * kc);
  const bp = packB;
  for (let c = 0; c < panels; c++) {
    const cols = Math.min(NR, nc - c * NR);
    const dst = c * NR * kc;
    for (let j = 0; j < NR; j++) {
      if (j >= cols) {
        for (let p = 0; p < kc; p++) bp[dst + p * NR + j] = 0;
        continue;
      }
      let src = offset + (c * NR + j) * bCol;
      for (let p = 0; p < kc; p++, src += bRow) bp[dst + p * NR + j] = b[src];
    }
  }
  return bp;
}

/**
 * The micro-kernel: a 4×4 tile of C in sixteen locals over kc steps of packed A (4 values per
 * step from `ai`) and packed B (4 per step from `bi`); then the valid mr×nr corner is written
 * to C at `c0` (row stride ldc), added to what is there when `accumulate`.
 */
function kernel4x4(
  kc: number,
  ap: Float64Array,
  ai: number,
  bp: Float64Array,
  bi: number,
  out: TypedArray,
  c0: number,
  ldc: number,
  mr: number,
  nr: number,
  accumulate: boolean,
): void {
  let c00 = 0,
    c01 = 0,
    c02 = 0,
    c03 = 0;
  let c10 = 0,
    c11 = 0,
    c12 = 0,
    c13 = 0;
  let c20 = 0,
    c21 = 0,
    c22 = 0,
    c23 = 0;
  let c30 = 0,
    c31 = 0,
    c32 = 0,
    c33 = 0;
  const end = ai + kc * MR;
  for (; ai < end; ai += MR, bi += NR) {
    const a0 = ap[ai],
      a1 = ap[ai + 1],
      a2 = ap[ai + 2],
      a3 = ap[ai + 3];
    const b0 = bp[bi],
      b1 = bp[bi + 1],
      b2 = bp[bi + 2],
      b3 = bp[bi + 3];
    c00 += a0 * b0;
    c01 += a0 * b1;
    c02 += a0 * b2;
    c03 += a0 * b3;
    c10 += a1 * b0;
    c11 += a1 * b1;
    c12 += a1 * b2;
    c13 += a1 * b3;
    c20 += a2 * b0;
    c21 += a2 * b1;
    c22 += a2 * b2;
    c23 += a2 * b3;
    c30 += a3 * b0;
    c31 += a3 * b1;
    c32 += a3 * b2;
    c33 += a3 * b3;
  }
  if (mr === MR && nr === NR) {
    if (accumulate) {
      out[c0] += c00;
      out[c0 + 1] += c01;
      out[c0 + 2] += c02;
      out[c0 + 3] += c03;
      c0 += ldc;
      out[c0] += c10;
      out[c0 + 1] += c11;
      out[c0 + 2] += c12;
      out[c0 + 3] += c13;
      c0 += ldc;
      out[c0] += c20;
      out[c0 + 1] += c21;
      out[c0 + 2] += c22;
      out[c0 + 3] += c23;
      c0 += ldc;
      out[c0] += c30;
      out[c0 + 1] += c31;
      out[c0 + 2] += c32;
      out[c0 + 3] += c33;
    } else {
      out[c0] = c00;
      out[c0 + 1] = c01;
      out[c0 + 2] = c02;
      out[c0 + 3] = c03;
      c0 += ldc;
      out[c0] = c10;
      out[c0 + 1] = c11;
      out[c0 + 2] = c12;
      out[c0 + 3] = c13;
      c0 += ldc;
      out[c0] = c20;
      out[c0 + 1] = c21;
      out[c0 + 2] = c22;
      out[c0 + 3] = c23;
      c0 += ldc;
      out[c0] = c30;
      out[c0 + 1] = c31;
      out[c0 + 2] = c32;
      out[c0 + 3] = c33;
    }
    return;
  }
  // An edge tile: write the valid corner only.
  if (edgeTile.length < MR * NR) edgeTile = new Float64Array(MR * NR);
  const tile = edgeTile;
  tile[0] = c00;
  tile[1] = c01;
  tile[2] = c02;
  tile[3] = c03;
  tile[4] = c10;
  tile[5] = c11;
  tile[6] = c12;
  tile[7] = c13;
  tile[8] = c20;
  tile[9] = c21;
  tile[10] = c22;
  tile[11] = c23;
  tile[12] = c30;
  tile[13] = c31;
  tile[14] = c32;
  tile[15] = c33;
  for (let i = 0; i < mr; i++) {
    for (let j = 0; j < nr; j++) {
      const v = tile[i * NR + j];
      out[c0 + i * ldc + j] = accumulate ? out[c0 + i * ldc + j] + v : v;
    }
  }
}

let edgeTile = EMPTY;
