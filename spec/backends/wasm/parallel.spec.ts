/** How one matmul call is split between threads (lib/backends/wasm/parallel.ts). */
import { planMatmul } from '../../../lib/backends/wasm/parallel';

const part = (batchStart: number, batchEnd: number, rowStart: number, rowEnd: number) => ({
  batchStart,
  batchEnd,
  rowStart,
  rowEnd,
});

describe('planMatmul', () => {
  test('one thread, or nothing to compute, is one part: the whole product', () => {
    expect(planMatmul(1, 64, 1)).toEqual([part(0, 1, 0, 64)]);
    expect(planMatmul(0, 64, 2)).toEqual([part(0, 0, 0, 64)]);
    expect(planMatmul(3, 0, 2)).toEqual([part(0, 3, 0, 0)]);
  });

  test('one pair splits by rows in multiples of four, the last part taking the rest', () => {
    expect(planMatmul(1, 64, 2)).toEqual([part(0, 1, 0, 32), part(0, 1, 32, 64)]);
    expect(planMatmul(1, 10, 2)).toEqual([part(0, 1, 0, 8), part(0, 1, 8, 10)]);
    expect(planMatmul(1, 784, 3)).toEqual([part(0, 1, 0, 264), part(0, 1, 264, 528), part(0, 1, 528, 784)]);
    // Four threads but 8 rows: two panels, so two parts.
    expect(planMatmul(1, 8, 4)).toEqual([part(0, 1, 0, 4), part(0, 1, 4, 8)]);
  });

  test('fewer than eight rows are not split', () => {
    expect(planMatmul(1, 7, 2)).toEqual([part(0, 1, 0, 7)]);
  });

  test('pairs that divide evenly between the threads split by pairs (conv2d: 32 images of 16 channels)', () => {
    expect(planMatmul(32, 16, 2)).toEqual([part(0, 16, 0, 16), part(16, 32, 0, 16)]);
    expect(planMatmul(4, 100, 4)).toEqual([
      part(0, 1, 0, 100),
      part(1, 2, 0, 100),
      part(2, 3, 0, 100),
      part(3, 4, 0, 100),
    ]);
  });

  test('pairs that do not divide evenly split by rows, unless the rows are too few', () => {
    expect(planMatmul(3, 64, 2)).toEqual([part(0, 3, 0, 32), part(0, 3, 32, 64)]);
    expect(planMatmul(3, 4, 2)).toEqual([part(0, 2, 0, 4), part(2, 3, 0, 4)]);
    expect(planMatmul(2, 4, 4)).toEqual([part(0, 1, 0, 4), part(1, 2, 0, 4)]);
  });

  test('every plan covers each (pair, row) exactly once', () => {
    for (const batch of [1, 2, 3, 5, 8])
      for (const m of [1, 4, 7, 8, 9, 33, 128])
        for (const threads of [1, 2, 3, 4, 7]) {
          const seen = new Map<string, number>();
          for (const p of planMatmul(batch, m, threads)) {
            expect(p.batchEnd).toBeGreaterThan(p.batchStart);
            expect(p.rowEnd).toBeGreaterThan(p.rowStart);
            for (let t = p.batchStart; t < p.batchEnd; t++)
              for (let r = p.rowStart; r < p.rowEnd; r++) seen.set(`${t},${r}`, (seen.get(`${t},${r}`) ?? 0) + 1);
          }
          expect(planMatmul(batch, m, threads).length).toBeLessThanOrEqual(threads);
          expect({
            batch,
            m,
            threads,
            cells: seen.size,
            repeats: [...seen.values()].filter((c) => c !== 1).length,
          }).toEqual({ batch, m, threads, cells: batch * m, repeats: 0 });
        }
  });
});
