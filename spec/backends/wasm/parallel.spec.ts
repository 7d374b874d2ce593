/** How one matmul call is split between threads (lib/backends/wasm/parallel.ts). */
import { type MatmulHelpers, planMatmul, splitMatmul } from '../../../lib/backends/wasm/parallel';

/** Parts as [batchStart, batchEnd, rowStart, rowEnd, colStart, colEnd]. */
const plan = (batch: number, m: number, n: number, threads: number) =>
  planMatmul(batch, m, n, threads).map((p) => [p.batchStart, p.batchEnd, p.rowStart, p.rowEnd, p.colStart, p.colEnd]);

describe('planMatmul', () => {
  test('one thread, or nothing to compute, is one part: the whole product', () => {
    expect(plan(1, 64, 128, 1)).toEqual([[0, 1, 0, 64, 0, 128]]);
    expect(plan(0, 64, 128, 2)).toEqual([[0, 0, 0, 64, 0, 128]]);
    expect(plan(3, 0, 128, 2)).toEqual([[0, 3, 0, 0, 0, 128]]);
    expect(plan(3, 64, 0, 2)).toEqual([[0, 3, 0, 64, 0, 0]]);
  });

  test('more rows than columns: rows, in multiples of four, the last part taking the rest', () => {
    expect(plan(1, 784, 128, 2)).toEqual([
      [0, 1, 0, 392, 0, 128],
      [0, 1, 392, 784, 0, 128],
    ]);
    expect(plan(1, 10, 10, 2)).toEqual([
      [0, 1, 0, 8, 0, 10],
      [0, 1, 8, 10, 0, 10],
    ]);
    expect(plan(1, 784, 16, 3)).toEqual([
      [0, 1, 0, 264, 0, 16],
      [0, 1, 264, 528, 0, 16],
      [0, 1, 528, 784, 0, 16],
    ]);
    // Four threads but 8 rows: two tiles, so two parts.
    expect(plan(1, 8, 8, 4)).toEqual([
      [0, 1, 0, 4, 0, 8],
      [0, 1, 4, 8, 0, 8],
    ]);
  });

  test('as many rows as columns: rows', () => {
    expect(plan(1, 64, 64, 2)).toEqual([
      [0, 1, 0, 32, 0, 64],
      [0, 1, 32, 64, 0, 64],
    ]);
  });

  test('more columns than rows: columns, in multiples of eight (the forward of a Linear layer on a batch of 64)', () => {
    expect(plan(1, 64, 128, 2)).toEqual([
      [0, 1, 0, 64, 0, 64],
      [0, 1, 0, 64, 64, 128],
    ]);
    expect(plan(1, 64, 100, 3)).toEqual([
      [0, 1, 0, 64, 0, 40],
      [0, 1, 0, 64, 40, 80],
      [0, 1, 0, 64, 80, 100],
    ]);
  });

  test('too few rows for a split: columns; too few columns: rows; too few of both: not split', () => {
    expect(plan(1, 7, 16, 2)).toEqual([
      [0, 1, 0, 7, 0, 8],
      [0, 1, 0, 7, 8, 16],
    ]);
    expect(plan(1, 8, 15, 2)).toEqual([
      [0, 1, 0, 4, 0, 15],
      [0, 1, 4, 8, 0, 15],
    ]);
    expect(plan(1, 7, 15, 2)).toEqual([[0, 1, 0, 7, 0, 15]]);
  });

  test('pairs that divide evenly between the threads split by pairs (conv2d: 32 images of 16 channels)', () => {
    expect(plan(32, 16, 784, 2)).toEqual([
      [0, 16, 0, 16, 0, 784],
      [16, 32, 0, 16, 0, 784],
    ]);
    expect(plan(4, 100, 100, 4)).toEqual([
      [0, 1, 0, 100, 0, 100],
      [1, 2, 0, 100, 0, 100],
      [2, 3, 0, 100, 0, 100],
      [3, 4, 0, 100, 0, 100],
    ]);
  });

  test('at least twice as many pairs as parts: by pairs, even if they do not divide evenly', () => {
    expect(plan(5, 64, 64, 2)).toEqual([
      [0, 3, 0, 64, 0, 64],
      [3, 5, 0, 64, 0, 64],
    ]);
  });

  test('pairs that do not divide evenly split within each pair, unless it is too small', () => {
    expect(plan(3, 64, 32, 2)).toEqual([
      [0, 3, 0, 32, 0, 32],
      [0, 3, 32, 64, 0, 32],
    ]);
    expect(plan(3, 4, 4, 2)).toEqual([
      [0, 2, 0, 4, 0, 4],
      [2, 3, 0, 4, 0, 4],
    ]);
    expect(plan(2, 4, 4, 4)).toEqual([
      [0, 1, 0, 4, 0, 4],
      [1, 2, 0, 4, 0, 4],
    ]);
  });

  test('every plan covers each (pair, row, column) exactly once, in at most `threads` parts', () => {
    for (const batch of [1, 2, 3, 5, 8])
      for (const [m, n] of [
        [1, 1],
        [4, 33],
        [7, 7],
        [8, 16],
        [9, 40],
        [33, 9],
        [128, 17],
      ])
        for (const threads of [1, 2, 3, 4, 7, 16]) {
          const counts = new Map<string, number>();
          const parts = planMatmul(batch, m, n, threads);
          for (const p of parts) {
            expect(p.batchEnd > p.batchStart && p.rowEnd > p.rowStart && p.colEnd > p.colStart).toBe(true);
            for (let t = p.batchStart; t < p.batchEnd; t++)
              for (let r = p.rowStart; r < p.rowEnd; r++)
                for (let c = p.colStart; c < p.colEnd; c++)
                  counts.set(`${t},${r},${c}`, (counts.get(`${t},${r},${c}`) ?? 0) + 1);
          }
          const repeats = [...counts.values()].filter((c) => c !== 1).length;
          expect({ batch, m, n, threads, cells: counts.size, repeats, fits: parts.length <= threads }).toEqual({
            batch,
            m,
            n,
            threads,
            cells: batch * m * n,
            repeats: 0,
            fits: true,
          });
        }
  });
});

describe('splitMatmul', () => {
  /** Helpers that run every job on the calling thread, in order. */
  function inline(size: number): MatmulHelpers {
    return {
      size,
      minFlops: 0,
      run(jobs, _helperWork, runHere) {
        for (const job of jobs) runHere(job);
      },
    };
  }

  test('cuts a call into two jobs per thread, each with its own pointers, pair count and ranges', () => {
    const helpers = inline(1);
    const calls: number[][] = [];
    // a, b, c at 1000, 2000, 3000; batch 8 of 16 x 9 times 9 x 50; A advances 144 floats per pair, B is shared.
    const call = [1000, 2000, 3000, 8, 16, 9, 50, 144, 0, 0, 1, 777, 256, 128, 1024];
    expect(splitMatmul((...args) => calls.push(args), helpers, [888], call)).toBe(true);
    expect(calls).toEqual(
      [0, 2, 4, 6].map((t) => [
        1000 + 4 * 144 * t,
        2000,
        3000 + 4 * t * 16 * 50,
        2,
        16,
        9,
        50,
        144,
        0,
        0,
        1,
        777,
        256,
        128,
        1024,
        0,
        16,
        0,
        50,
      ]),
    );
  });

  test('two parts are enough to split; one is not (nothing runs, the caller computes it alone)', () => {
    const calls: number[][] = [];
    const two = [0, 0, 0, 1, 8, 3, 8, 0, 0, 0, 0, 0, 256, 128, 1024]; // 8 rows, 8 columns: two row parts
    expect(splitMatmul((...args) => calls.push(args), inline(1), [0], two)).toBe(true);
    expect(calls.map((c) => [c[15], c[16]])).toEqual([
      [0, 4],
      [4, 8],
    ]);
    const one = [0, 0, 0, 1, 7, 3, 15, 0, 0, 0, 0, 0, 256, 128, 1024];
    expect(splitMatmul((...args) => calls.push(args), inline(1), [0], one)).toBe(false);
    expect(calls.length).toBe(2);
  });
});
