/**
 * The wasm matmul against the straightforward loop in float32 (s = f32(s + f32(a*b)), k in
 * order): the non-FMA build must agree bit for bit, for odd sizes, transposes, batches and
 * block sizes small enough that every loop of the blocking runs more than once.
 */
import { setFlagsFromString } from 'node:v8';
import { fmaSupported } from '../../../lib/backends/wasm/module';
import { maxRelError, put, reference, seeded, wasmOnly } from './helpers';

// Node 20 validates relaxed SIMD only behind this V8 flag (later versions ship it): set it here,
// before any module is compiled, so the FMA build is checked too. The engine's own backend stays
// on the deterministic build in specs (spec/setup-env.ts).
if (!fmaSupported()) setFlagsFromString('--experimental-wasm-relaxed-simd');

const shapes: [number, number, number][] = [
  [1, 1, 1],
  [3, 7, 129],
  [129, 3, 7],
  [7, 129, 3],
  [4, 8, 16],
  [1, 129, 1],
  [33, 65, 17],
];
const small = { kc: 16, mc: 8, nc: 16 };

describe.each([
  ['default blocks', undefined],
  ['small blocks (kc 16, mc 8, nc 16)', small],
])('wasm matmul, %s', (_, blocks) => {
  const { wasm, calls } = wasmOnly(blocks ? { blocks } : {});
  const values = seeded(7);

  test.each(
    shapes.flatMap(
      ([m, k, n]) =>
        [
          [m, k, n, false, false],
          [m, k, n, true, false],
          [m, k, n, false, true],
          [m, k, n, true, true],
        ] as const,
    ),
  )('m=%i k=%i n=%i transA=%s transB=%s equals the f32 loop exactly', (m, k, n, transA, transB) => {
    const a = values(m * k),
      b = values(k * n);
    const sa = put(wasm, a),
      sb = put(wasm, b),
      sc = wasm.alloc('float32', m * n);
    wasm.matmul(sa.view(), sb.view(), sc.view(), 1, m, k, n, 0, 0, transA, transB);
    expect(Array.from(sc.view())).toEqual(reference(a, b, 1, m, k, n, 0, 0, transA, transB));
    expect(calls).toEqual([]);
  });

  test('batches: separate strides, a shared B (stride 0) and a result that was not zero', () => {
    const [batch, m, k, n] = [3, 5, 9, 6];
    const a = values(batch * m * k),
      b = values(k * n);
    const sa = put(wasm, a),
      sb = put(wasm, b),
      sc = put(wasm, values(batch * m * n));
    wasm.matmul(sa.view(), sb.view(), sc.view(), batch, m, k, n, m * k, 0, false, true);
    expect(Array.from(sc.view())).toEqual(reference(a, b, batch, m, k, n, m * k, 0, false, true));
  });

  test('k = 0 gives zeros', () => {
    const sc = put(wasm, [1, 2, 3, 4, 5, 6]);
    wasm.matmul(put(wasm, []).view(), put(wasm, []).view(), sc.view(), 1, 2, 0, 3, 0, 0, false, false);
    expect(Array.from(sc.view())).toEqual([0, 0, 0, 0, 0, 0]);
  });
});

test('a 2x2 product by hand', () => {
  const { wasm } = wasmOnly();
  const a = wasm.fromArray('float32', [1, 2, 3, 4]);
  const c = wasm.alloc('float32', 4);
  wasm.matmul(a.view(), a.view(), c.view(), 1, 2, 2, 2, 0, 0, false, false);
  expect(Array.from(c.view())).toEqual([7, 10, 15, 22]);
});

test('the FMA build loads where relaxed SIMD validates, and agrees with the loop to 1e-5', () => {
  const { wasm } = wasmOnly({ fma: true });
  const values = seeded(3);
  const [m, k, n] = [33, 129, 17];
  const a = values(m * k),
    b = values(k * n);
  const sa = put(wasm, a),
    sb = put(wasm, b),
    sc = wasm.alloc('float32', m * n);
  wasm.matmul(sa.view(), sb.view(), sc.view(), 1, m, k, n, 0, 0, false, false);
  expect(wasm.fma).toBe(true);
  expect(maxRelError(sc.view(), reference(a, b, 1, m, k, n, 0, 0, false, false))).toBeLessThan(1e-5);
});
