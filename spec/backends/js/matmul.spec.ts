/** The blocked matmul kernel against the straightforward triple loop. */
import type { DType, TypedArray } from '../../../lib/backends/backend';
import { matmul } from '../../../lib/backends/js/matmul';
import { DTYPES, garbage, randomArray } from './kernel-helpers';

interface Case {
  batch: number;
  m: number;
  k: number;
  n: number;
  aBatchStride: number;
  bBatchStride: number;
  transA: boolean;
  transB: boolean;
}

/** The reference: for each entry, s = 0; s += A(i, p) * B(p, j) for p in order, in float64; also the sum of |A(i, p) * B(p, j)|. */
function reference(a: TypedArray, b: TypedArray, c: Case): { values: Float64Array; scale: Float64Array } {
  const values = new Float64Array(c.batch * c.m * c.n);
  const scale = new Float64Array(values.length);
  for (let t = 0; t < c.batch; t++) {
    for (let i = 0; i < c.m; i++) {
      for (let j = 0; j < c.n; j++) {
        let s = 0;
        let abs = 0;
        for (let p = 0; p < c.k; p++) {
          const av = a[t * c.aBatchStride + (c.transA ? p * c.m + i : i * c.k + p)];
          const bv = b[t * c.bBatchStride + (c.transB ? j * c.k + p : p * c.n + j)];
          s += av * bv;
          abs += Math.abs(av * bv);
        }
        values[(t * c.m + i) * c.n + j] = s;
        scale[(t * c.m + i) * c.n + j] = abs;
      }
    }
  }
  return { values, scale };
}

function run(dtype: DType, c: Case, seed: number): { out: TypedArray; values: Float64Array; scale: Float64Array } {
  const aLength = Math.max(c.aBatchStride * (c.batch - 1), 0) + c.m * c.k;
  const bLength = Math.max(c.bBatchStride * (c.batch - 1), 0) + c.k * c.n;
  const a = randomArray(dtype, aLength, seed);
  const b = randomArray(dtype, bLength, seed + 1);
  const out = garbage(dtype, c.batch * c.m * c.n);
  matmul(a, b, out, c.batch, c.m, c.k, c.n, c.aBatchStride, c.bBatchStride, c.transA, c.transB);
  return { out, ...reference(a, b, c) };
}

/** Checks every element: bit-exact to the loop (rounded once to float32) when k fits one block of 256, else within 1e-12 (float64) or float32 rounding of the sum of |products|. */
function expectMatches(dtype: DType, c: Case, seed: number): void {
  const { out, values, scale } = run(dtype, c, seed);
  let worst = 0;
  for (let i = 0; i < values.length; i++) {
    if (c.k <= 256) {
      const expected = dtype === 'float64' ? values[i] : Math.fround(values[i]);
      if (out[i] !== expected)
        throw new Error(`${dtype} ${JSON.stringify(c)}: out[${i}] = ${out[i]}, expected ${expected}`);
    } else {
      worst = Math.max(worst, Math.abs(out[i] - values[i]) / (scale[i] || 1));
    }
  }
  expect(worst).toBeLessThan(dtype === 'float64' ? 1e-12 : 2 ** -22);
}

const SIZES = [1, 3, 7, 33];
const TRANSPOSES: [boolean, boolean][] = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
];

describe.each(DTYPES)('matmul %s', (dtype) => {
  test.each(TRANSPOSES)(
    'every m, k, n in 1, 3, 7, 33 (transA %s, transB %s) equals the loop exactly',
    (transA, transB) => {
      let seed = 1;
      for (const m of SIZES)
        for (const k of SIZES)
          for (const n of SIZES) {
            expectMatches(dtype, { batch: 1, m, k, n, aBatchStride: 0, bBatchStride: 0, transA, transB }, seed++);
          }
    },
  );

  test('129 × 129 × 129 and every mix of 1 and 129 equal the loop exactly', () => {
    for (const m of [1, 129])
      for (const k of [1, 129])
        for (const n of [1, 129]) {
          expectMatches(
            dtype,
            { batch: 1, m, k, n, aBatchStride: 0, bBatchStride: 0, transA: false, transB: false },
            m + k + n,
          );
        }
  });

  test.each(TRANSPOSES)('blocks of 256 in k, 128 in m, 1024 in n crossed (transA %s, transB %s)', (transA, transB) => {
    for (const [m, k, n] of [
      [130, 300, 5],
      [3, 513, 7],
      [5, 7, 1030],
      [33, 257, 9],
    ]) {
      expectMatches(dtype, { batch: 1, m, k, n, aBatchStride: 0, bBatchStride: 0, transA, transB }, m + k + n);
    }
  });

  test('batches: both strides, a stride of 0 on either side, strides with gaps between matrices', () => {
    const [m, k, n] = [7, 33, 3];
    for (const [aBatchStride, bBatchStride] of [
      [m * k, k * n],
      [0, k * n],
      [m * k, 0],
      [0, 0],
      [m * k + 5, k * n + 2],
    ]) {
      for (const [transA, transB] of TRANSPOSES) {
        expectMatches(
          dtype,
          { batch: 3, m, k, n, aBatchStride, bBatchStride, transA, transB },
          aBatchStride + bBatchStride,
        );
      }
    }
  });

  test('k = 0 writes zeros; m = 0 or n = 0 writes nothing', () => {
    const out = garbage(dtype, 6);
    matmul(randomArray(dtype, 0, 1), randomArray(dtype, 0, 2), out, 2, 1, 0, 3, 0, 0, false, false);
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 0, 0]);
    const untouched = garbage(dtype, 2);
    matmul(randomArray(dtype, 4, 1), randomArray(dtype, 0, 2), untouched, 1, 2, 2, 0, 0, 0, false, false);
    expect(Array.from(untouched)).toEqual([NaN, NaN]);
  });

  test('Infinity in A or B reaches only its row or column (the zero padding of edge tiles never leaks)', () => {
    const [m, k, n] = [5, 3, 6];
    const a = randomArray(dtype, m * k, 3).map(Math.abs);
    const b = randomArray(dtype, k * n, 4).map(Math.abs);
    a[2 * k] = Infinity; // A(2, 0)
    b[5] = Infinity; // B(0, 5)
    const out = garbage(dtype, m * n);
    matmul(a, b, out, 1, m, k, n, 0, 0, false, false);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        expect(Number.isFinite(out[i * n + j])).toBe(i !== 2 && j !== 5);
      }
    }
  });
});

test('float32 and float64 calls interleave without disturbing each other (shared packing buffers)', () => {
  const c: Case = { batch: 1, m: 33, k: 129, n: 7, aBatchStride: 0, bBatchStride: 0, transA: false, transB: true };
  for (let round = 0; round < 2; round++) {
    for (const dtype of DTYPES) expectMatches(dtype, c, 7 + round);
  }
});

test('2 × 2 example from the doc comment', () => {
  const out = new Float64Array(4);
  matmul(new Float64Array([1, 2, 3, 4]), new Float64Array([5, 6, 7, 8]), out, 1, 2, 2, 2, 0, 0, false, false);
  expect(Array.from(out)).toEqual([19, 22, 43, 50]);
});
