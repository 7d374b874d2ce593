/**
 * Wasm elementwise kernels and reductions against straightforward float32 loops. Exact where
 * the arithmetic is one f32 operation (or several in the same order); transcendental functions
 * (f64 Math in wasm, rounded once) within 2^-23 relative of Math.fround(Math.f(x)); pow within
 * 2^-22. Lengths 1, 3, 7 and 129 cover the four-lane bodies and their tails.
 */
import type { BinaryOp, UnaryOp } from '../../../lib/backends/backend';
import { maxRelError, put, seeded, wasmOnly } from './helpers';

const f = Math.fround;
const { wasm, calls } = wasmOnly();
const values = seeded(11);
afterEach(() => expect(calls).toEqual([]));

const unaryRef: Record<UnaryOp, [(x: number) => number, boolean]> = {
  neg: [(x) => -x, true],
  exp: [Math.exp, false],
  log: [(x) => Math.log(Math.abs(x)), false],
  log1p: [(x) => Math.log1p(Math.abs(x)), false],
  sqrt: [(x) => Math.sqrt(Math.abs(x)), true],
  abs: [Math.abs, true],
  sign: [Math.sign, true],
  tanh: [Math.tanh, false],
  sigmoid: [(x) => 1 / (1 + Math.exp(-x)), false],
  relu: [(x) => Math.max(x, 0), true],
  sin: [Math.sin, false],
  cos: [Math.cos, false],
  square: [(x) => x * x, true],
  reciprocal: [(x) => 1 / x, true],
  softplus: [(x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))), false],
  step: [(x) => (x > 0 ? 1 : 0), true],
};
const positiveInput = new Set<UnaryOp>(['log', 'log1p', 'sqrt']);

describe.each([1, 3, 7, 129])('length %i', (n) => {
  test.each(Object.keys(unaryRef) as UnaryOp[])('unary %s', (op) => {
    const [fn, exact] = unaryRef[op];
    const x = values(n).map((v) => (positiveInput.has(op) ? f(Math.abs(v) * 3) : f(v * 3)));
    const sx = put(wasm, x),
      out = wasm.alloc('float32', n);
    wasm.unary(op, sx.view(), out.view());
    const expected = x.map((v) => f(fn(v)));
    if (exact) expect(Array.from(out.view())).toEqual(expected);
    else expect(maxRelError(out.view(), expected)).toBeLessThanOrEqual(2 ** -23);
  });

  test('unary in place, leakyRelu, clamp, affine', () => {
    const x = values(n).map((v) => f(v * 4));
    const s = put(wasm, x);
    wasm.unary('neg', s.view(), s.view());
    expect(Array.from(s.view())).toEqual(x.map((v) => -v));
    const out = wasm.alloc('float32', n);
    wasm.leakyRelu(s.view(), 0.25, out.view());
    expect(Array.from(out.view())).toEqual(x.map((v) => (-v < 0 ? f(f(0.25) * -v) : -v)));
    wasm.clamp(s.view(), -0.5, 1.5, out.view());
    expect(Array.from(out.view())).toEqual(x.map((v) => Math.min(Math.max(-v, -0.5), 1.5)));
    wasm.affine(s.view(), 3, 0.5, out.view());
    expect(Array.from(out.view())).toEqual(x.map((v) => f(f(3 * -v) + 0.5)));
  });
});

test('NaN: relu, clamp and max keep it (as PyTorch); step and comparisons give 0', () => {
  const s = put(wasm, [NaN, -1, 2]),
    out = wasm.alloc('float32', 3);
  wasm.unary('relu', s.view(), out.view());
  expect(Array.from(out.view())).toEqual([NaN, 0, 2]);
  wasm.clamp(s.view(), 0, 1, out.view());
  expect(Array.from(out.view())).toEqual([NaN, 0, 1]);
  wasm.unary('step', s.view(), out.view());
  expect(Array.from(out.view())).toEqual([0, 0, 1]);
});

const binaryRef: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: (a, b) => Math.pow(Math.abs(a), b),
  maximum: Math.max,
  minimum: Math.min,
  gt: (a, b) => +(a > b),
  ge: (a, b) => +(a >= b),
  lt: (a, b) => +(a < b),
  le: (a, b) => +(a <= b),
  eq: (a, b) => +(a === b),
};

/** out[index] = fn(a[index . as], b[index . bs]) the slow way. */
function broadcastRef(
  fn: (a: number, b: number) => number,
  a: number[],
  as: number[],
  b: number[],
  bs: number[],
  shape: number[],
): number[] {
  const out: number[] = [];
  const index = shape.map(() => 0);
  const total = shape.reduce((p, d) => p * d, 1);
  for (let i = 0; i < total; i++) {
    const ia = index.reduce((s, v, d) => s + v * as[d], 0),
      ib = index.reduce((s, v, d) => s + v * bs[d], 0);
    out.push(f(fn(a[ia], b[ib])));
    for (let d = shape.length - 1; d >= 0 && ++index[d] === shape[d]; d--) index[d] = 0;
  }
  return out;
}

// [a length, a strides, b length, b strides, out shape]
const layouts: [string, number, number[], number, number[], number[]][] = [
  ['same shape [129]', 129, [1], 129, [1], [129]],
  ['scalar b', 7, [1], 1, [0], [7]],
  ['scalar a', 7, [0], 7, [1], [7]],
  ['[3,1,7] with [1,5,7]', 21, [7, 0, 1], 35, [0, 7, 1], [3, 5, 7]],
  ['row [1,3] with column [3,1]', 3, [0, 1], 3, [1, 0], [3, 3]],
  ['a transposed [7,3]', 21, [1, 7], 21, [3, 1], [7, 3]],
];

describe.each(Object.keys(binaryRef) as BinaryOp[])('binary %s', (op) => {
  test.each(layouts)('%s', (_, na, as, nb, bs, shape) => {
    const a = values(na).map((v) => f(v * 2)),
      b = values(nb).map((v) => f(v * 2));
    if (op.length === 2)
      b.forEach((_, i) => {
        if (i % 3 === 0) b[i] = a[i % na];
      }); // ties for the comparisons
    const size = shape.reduce((p, d) => p * d, 1);
    const sa = put(wasm, op === 'pow' ? a.map(Math.abs) : a),
      sb = put(wasm, b),
      out = wasm.alloc('float32', size);
    wasm.binary(op, sa.view(), as, sb.view(), bs, shape, out.view());
    const expected = broadcastRef(binaryRef[op], a, as, b, bs, shape);
    if (op === 'pow') expect(maxRelError(out.view(), expected)).toBeLessThanOrEqual(2 ** -22);
    else expect(Array.from(out.view())).toEqual(expected);
  });
});

test('where broadcasts all three operands; copyStrided materialises a transposed slice', () => {
  const cond = [1, 0, 0, 1, 0, 1, 1],
    a = values(3 * 7),
    b = values(7);
  const out = wasm.alloc('float32', 21);
  wasm.where(
    put(wasm, cond).view(),
    [0, 1],
    put(wasm, a).view(),
    [7, 1],
    put(wasm, b).view(),
    [0, 1],
    [3, 7],
    out.view(),
  );
  expect(Array.from(out.view())).toEqual(Array.from({ length: 21 }, (_, i) => (cond[i % 7] ? a[i] : b[i % 7])));
  const x = values(5 * 6);
  const t = wasm.alloc('float32', 4 * 3);
  wasm.copyStrided(put(wasm, x).view(), 7, [1, 6], [4, 3], t.view()); // x[1:4, 1:5].T
  expect(Array.from(t.view())).toEqual([0, 1, 2, 3].flatMap((j) => [0, 1, 2].map((i) => x[7 + j + 6 * i])));
});

describe.each([
  [1, 129, 1],
  [3, 7, 5],
  [2, 3, 129],
  [4, 1, 3],
  [2, 9, 1],
])('reduce [outer %i, size %i, inner %i]', (outer, size, inner) => {
  const x = values(outer * size * inner);
  const at = (o: number, s: number, i: number) => x[(o * size + s) * inner + i];
  const each = (fn: (o: number, i: number) => number) =>
    Array.from({ length: outer * inner }, (_, j) => fn(Math.floor(j / inner), j % inner));
  const sx = put(wasm, x),
    out = wasm.alloc('float32', outer * inner);
  test('sum in index order, max, min, argmax, argmin', () => {
    wasm.reduce('sum', sx.view(), outer, size, inner, out.view());
    expect(Array.from(out.view())).toEqual(
      each((o, i) => {
        let s = 0;
        for (let k = 0; k < size; k++) s = f(s + at(o, k, i));
        return s;
      }),
    );
    wasm.reduce('max', sx.view(), outer, size, inner, out.view());
    expect(Array.from(out.view())).toEqual(
      each((o, i) => Math.max(...Array.from({ length: size }, (_, k) => at(o, k, i)))),
    );
    wasm.reduce('min', sx.view(), outer, size, inner, out.view());
    expect(Array.from(out.view())).toEqual(
      each((o, i) => Math.min(...Array.from({ length: size }, (_, k) => at(o, k, i)))),
    );
    const arg = (better: (v: number, b: number) => boolean) =>
      each((o, i) => {
        let best = 0;
        for (let k = 1; k < size; k++) if (better(at(o, k, i), at(o, best, i))) best = k;
        return best;
      });
    wasm.argReduce('max', sx.view(), outer, size, inner, out.view());
    expect(Array.from(out.view())).toEqual(arg((v, b) => v > b));
    wasm.argReduce('min', sx.view(), outer, size, inner, out.view());
    expect(Array.from(out.view())).toEqual(arg((v, b) => v < b));
  });
});

test('max and argmax: NaN wins, the first of equal maxima wins', () => {
  const s = put(wasm, [1, 3, 3, 0, 1, NaN, 2, NaN, 5, 5, 5, 5, 5, 5, 5, 5]);
  const out = wasm.alloc('float32', 2);
  wasm.reduce('max', s.view(), 2, 8, 1, out.view());
  expect(Array.from(out.view())).toEqual([NaN, 5]);
  wasm.argReduce('max', s.view(), 2, 8, 1, out.view());
  expect(Array.from(out.view())).toEqual([5, 0]);
});

describe.each([
  [1, 1],
  [3, 7],
  [2, 129],
])('softmax rows=%i cols=%i', (rows, cols) => {
  const x = values(rows * cols).map((v) => f(v * 8));
  const lse = Array.from({ length: rows }, (_, r) => {
    const row = x.slice(r * cols, (r + 1) * cols);
    const m = Math.max(...row);
    return m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
  });
  const sx = put(wasm, x),
    out = wasm.alloc('float32', rows * cols);

  test('softmax and logSoftmax within 2^-23 of the f64 loop', () => {
    wasm.softmax(sx.view(), rows, cols, out.view());
    expect(
      maxRelError(
        out.view(),
        x.map((v, i) => f(Math.exp(v - lse[Math.floor(i / cols)]))),
      ),
    ).toBeLessThanOrEqual(2 ** -23);
    wasm.softmax(sx.view(), rows, cols, out.view(), true);
    expect(
      maxRelError(
        out.view(),
        x.map((v, i) => f(v - lse[Math.floor(i / cols)])),
      ),
    ).toBeLessThanOrEqual(2 ** -23);
  });

  test('cross-entropy: loss = logsumexp - picked logit, and the softmax for the gradient', () => {
    const labels = Array.from({ length: rows }, (_, r) => (r * 5) % cols);
    const oneHot = x.map((_, i) => (i % cols === labels[Math.floor(i / cols)] ? 1 : 0));
    const losses = wasm.alloc('float32', rows);
    const targets = put(wasm, oneHot);
    wasm.softmaxCrossEntropy(sx.view(), targets.view(), rows, cols, losses.view(), out.view());
    expect(
      maxRelError(
        losses.view(),
        labels.map((l, r) => f(lse[r] - x[r * cols + l])),
      ),
    ).toBeLessThanOrEqual(2 ** -22);
    expect(
      maxRelError(
        out.view(),
        x.map((v, i) => f(Math.exp(v - lse[Math.floor(i / cols)]))),
      ),
    ).toBeLessThanOrEqual(2 ** -23);
  });
});

test('softmax of a row with NaN is NaN; kernels refuse buffers outside wasm memory', () => {
  const out = wasm.alloc('float32', 3);
  wasm.softmax(put(wasm, [1, NaN, 2]).view(), 1, 3, out.view());
  expect(Array.from(out.view())).toEqual([NaN, NaN, NaN]);
  expect(() => wasm.softmax(new Float32Array(3), 1, 3, out.view())).toThrow(
    /WasmBackend.softmax: every buffer must be a float32 view/,
  );
});
