// GotoBLAS-style float32 matrix product on WebAssembly SIMD (AssemblyScript).
//
// C[m, n] = sum_k A[m, k] * B[k, n] for `batch` pairs. B is packed into panels of 8 columns
// (kc rows of 8 floats each), A into micro-panels of 4 rows (kc columns of 4 floats each), and a
// 4x8 tile of C lives in eight v128 accumulators while the kernel walks k. Blocks: kc columns of
// A / rows of B (L1/L2), mc rows of A (L2), nc columns of B (L3). Every C element is summed in
// index order of k (a later k block starts from the partial sum stored in C), so without FMA the
// result equals the straightforward loop `s = f32(s + f32(a * b))` bit for bit.
//
// All pointers are byte offsets into linear memory; the caller provides `work`, at least
// matmulWorkBytes(kc, mc, nc) bytes, 16-byte aligned.

// @ts-ignore: decorator
@inline const MR: i32 = 4;
// @ts-ignore: decorator
@inline const NR: i32 = 8;

// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/** Bytes of scratch memory matmul needs for the given block sizes. */
export function matmulWorkBytes(kc: i32, mc: i32, nc: i32): i32 {
  const nPanels = (nc + NR - 1) / NR;
  const mPanels = (mc + MR - 1) / MR;
  return (kc * NR * nPanels + kc * MR * mPanels + MR * NR) * 4;
}

/** Loads a 4x4 block (rows `ld` bytes apart) and stores its transpose (rows `dstStride` bytes apart). */
// @ts-ignore: decorator
@inline function transpose4x4(src: usize, ld: usize, dst: usize, dstStride: usize): void {
  const x0 = v128.load(src);
  const x1 = v128.load(src + ld);
  const x2 = v128.load(src + 2 * ld);
  const x3 = v128.load(src + 3 * ld);
  const t0 = v128.shuffle<i32>(x0, x1, 0, 4, 1, 5);
  const t1 = v128.shuffle<i32>(x2, x3, 0, 4, 1, 5);
  const t2 = v128.shuffle<i32>(x0, x1, 2, 6, 3, 7);
  const t3 = v128.shuffle<i32>(x2, x3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<i64>(t0, t1, 0, 2));
  v128.store(dst + dstStride, v128.shuffle<i64>(t0, t1, 1, 3));
  v128.store(dst + 2 * dstStride, v128.shuffle<i64>(t2, t3, 0, 2));
  v128.store(dst + 3 * dstStride, v128.shuffle<i64>(t2, t3, 1, 3));
}

/** Packs B[pc..pc+kc, jc..jc+nc] into 8-column panels, zero-padding the last one. */
function packB(b: usize, k: i32, n: i32, transB: bool, pc: i32, kc: i32, jc: i32, nc: i32, dst: usize): void {
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const cols = min(NR, nc - j0);
    const col = jc + j0;
    if (!transB && cols == NR) {
      let src = b + ((<usize>pc * n + col) << 2);
      const ld = <usize>n << 2;
      for (let p = 0; p < kc; p++) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        src += ld;
        dst += 32;
      }
    } else if (transB && cols == NR) {
      // B is stored n x k: eight rows of k, transposed four k at a time.
      const ld = <usize>k << 2;
      let src = b + ((<usize>col * k + pc) << 2);
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        transpose4x4(src, ld, dst, 32);
        transpose4x4(src + 4 * ld, ld, dst + 16, 32);
        src += 16;
        dst += 128;
      }
      for (; p < kc; p++) {
        for (let jj = 0; jj < NR; jj++) store<f32>(dst + (<usize>jj << 2), load<f32>(src + <usize>jj * ld));
        src += 4;
        dst += 32;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let jj = 0; jj < NR; jj++) {
          let v: f32 = 0;
          if (jj < cols) {
            const kk = pc + p;
            const j = col + jj;
            v = transB ? load<f32>(b + ((<usize>j * k + kk) << 2)) : load<f32>(b + ((<usize>kk * n + j) << 2));
          }
          store<f32>(dst, v);
          dst += 4;
        }
      }
    }
  }
}

/** Packs A[ic..ic+mc, pc..pc+kc] into 4-row micro-panels (k-major), zero-padding the last one. */
function packA(a: usize, m: i32, k: i32, transA: bool, ic: i32, mc: i32, pc: i32, kc: i32, dst: usize): void {
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const rows = min(MR, mc - i0);
    const row = ic + i0;
    if (transA && rows == MR) {
      // A is stored k x m: the 4 rows of one k are contiguous.
      let src = a + ((<usize>pc * m + row) << 2);
      const ld = <usize>m << 2;
      for (let p = 0; p < kc; p++) {
        v128.store(dst, v128.load(src));
        src += ld;
        dst += 16;
      }
    } else if (!transA && rows == MR) {
      const ld = <usize>k << 2;
      let r0 = a + ((<usize>row * k + pc) << 2);
      let p = 0;
      // 4x4 blocks: load four rows of four k, transpose in registers.
      for (; p + 4 <= kc; p += 4) {
        transpose4x4(r0, ld, dst, 16);
        r0 += 16;
        dst += 64;
      }
      for (; p < kc; p++) {
        store<f32>(dst, load<f32>(r0));
        store<f32>(dst, load<f32>(r0 + ld), 4);
        store<f32>(dst, load<f32>(r0 + 2 * ld), 8);
        store<f32>(dst, load<f32>(r0 + 3 * ld), 12);
        r0 += 4;
        dst += 16;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let r = 0; r < MR; r++) {
          let v: f32 = 0;
          if (r < rows) {
            const i = row + r;
            const kk = pc + p;
            v = transA ? load<f32>(a + ((<usize>kk * m + i) << 2)) : load<f32>(a + ((<usize>i * k + kk) << 2));
          }
          store<f32>(dst, v);
          dst += 4;
        }
      }
    }
  }
}

/**
 * The 4x8 micro-kernel: C tile (row stride ldc bytes) = (first ? 0 : C tile) + Apanel * Bpanel
 * over kc steps.
 */
function kernel4x8(pa: usize, pb: usize, kc: i32, c: usize, ldc: usize, first: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  if (!first) {
    c00 = v128.load(c); c01 = v128.load(c, 16);
    c10 = v128.load(c + ldc); c11 = v128.load(c + ldc, 16);
    c20 = v128.load(c + 2 * ldc); c21 = v128.load(c + 2 * ldc, 16);
    c30 = v128.load(c + 3 * ldc); c31 = v128.load(c + 3 * ldc, 16);
  }
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    // One load of the four A values, then a lane splat each (fewer instructions in V8's code
    // than four load32_splat, whose offsets it does not fold: 4-9% faster in paired rounds).
    const av = v128.load(pa);
    let a = v128.shuffle<f32>(av, av, 0, 0, 0, 0);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.shuffle<f32>(av, av, 1, 1, 1, 1);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.shuffle<f32>(av, av, 2, 2, 2, 2);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.shuffle<f32>(av, av, 3, 3, 3, 3);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    pa += 16;
    pb += 32;
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(c + ldc, c10); v128.store(c + ldc, c11, 16);
  v128.store(c + 2 * ldc, c20); v128.store(c + 2 * ldc, c21, 16);
  v128.store(c + 3 * ldc, c30); v128.store(c + 3 * ldc, c31, 16);
}

/**
 * Rows [rowStart, rowEnd) and columns [colStart, colEnd) of one product with C at `c` (m x n,
 * row-major). Any such block gives each C element the same sums in the same order, so threads
 * splitting the rows or the columns produce the single-threaded result bit for bit.
 */
function gemm(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, transA: bool, transB: bool, work: usize, kcMax: i32, mcMax: i32, ncMax: i32, rowStart: i32, rowEnd: i32, colStart: i32, colEnd: i32): void {
  if (k == 0) {
    for (let i = rowStart; i < rowEnd; i++) memory.fill(c + ((<usize>i * n + colStart) << 2), 0, <usize>(colEnd - colStart) << 2);
    return;
  }
  const packedA = work + ((<usize>kcMax * NR * ((ncMax + NR - 1) / NR)) << 2);
  const tile = packedA + ((<usize>kcMax * MR * ((mcMax + MR - 1) / MR)) << 2);
  const ldc = <usize>n << 2;
  for (let jc = colStart; jc < colEnd; jc += ncMax) {
    const nc = min(ncMax, colEnd - jc);
    for (let pc = 0; pc < k; pc += kcMax) {
      const kc = min(kcMax, k - pc);
      const first = pc == 0;
      packB(b, k, n, transB, pc, kc, jc, nc, work);
      for (let ic = rowStart; ic < rowEnd; ic += mcMax) {
        const mc = min(mcMax, rowEnd - ic);
        packA(a, m, k, transA, ic, mc, pc, kc, packedA);
        for (let jr = 0; jr < nc; jr += NR) {
          const cols = min(NR, nc - jr);
          const pb = work + ((<usize>jr * kc) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const rows = min(MR, mc - ir);
            const pa = packedA + ((<usize>ir * kc) << 2);
            const cTile = c + ((<usize>(ic + ir) * n + jc + jr) << 2);
            if (rows == MR && cols == NR) {
              kernel4x8(pa, pb, kc, cTile, ldc, first);
            } else {
              // Edge tile: run on a 4x8 scratch tile, copy the valid part in and out.
              if (!first) {
                for (let r = 0; r < rows; r++) memory.copy(tile + (<usize>r << 5), cTile + <usize>r * ldc, <usize>cols << 2);
              }
              kernel4x8(pa, pb, kc, tile, 32, first);
              for (let r = 0; r < rows; r++) memory.copy(cTile + <usize>r * ldc, tile + (<usize>r << 5), <usize>cols << 2);
            }
          }
        }
      }
    }
  }
}

/**
 * Batched product, as Backend.matmul: pair `i` reads A at a + i * aBatchStride and B at
 * b + i * bBatchStride (strides in elements) and writes C at c + i * m * n. Only rows
 * [rowStart, rowEnd) and columns [colStart, colEnd) of each C are written (0, m, 0, n for the
 * whole product), so threads can share one call.
 */
export function matmul(
  a: usize, b: usize, c: usize, batch: i32, m: i32, k: i32, n: i32,
  aBatchStride: i32, bBatchStride: i32, transA: bool, transB: bool,
  work: usize, kc: i32, mc: i32, nc: i32, rowStart: i32, rowEnd: i32, colStart: i32, colEnd: i32,
): void {
  for (let i = 0; i < batch; i++) {
    gemm(
      a + ((<usize>i * aBatchStride) << 2), b + ((<usize>i * bBatchStride) << 2), c + ((<usize>i * m * n) << 2),
      m, k, n, transA, transB, work, kc, mc, nc, rowStart, rowEnd, colStart, colEnd,
    );
  }
}
