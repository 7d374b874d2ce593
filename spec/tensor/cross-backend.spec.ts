/**
 * Every tensor op, forward and gradient, on the plain-TypeScript backend and on WebAssembly,
 * compared element by element. Inputs are the same float32 numbers on both; the gradient is
 * that of sum(out * w) for a fixed w, so every output element weighs differently.
 *
 * 'exact' (bit for bit) where both do one correctly rounded float32 result per element: the
 * binary ops (the JS kernel computes a + b in f64 and stores to f32, which for +, -, *, / and
 * sqrt of two f32 values is the f32 operation wasm does), exp/log/tanh/... (both compute in f64
 * and round once), relu, abs, comparisons, where, copies, max/min, gather, max pooling, and
 * what is built from these alone (logSoftmax here). 'close' where the JS kernels accumulate in
 * f64 and round once at the end while wasm adds in f32 (sums, means, the matmul, softmax,
 * losses, conv, average pooling, and gradients that sum over a broadcast or a slice), or scale
 * by the f64 slope (leakyRelu): |wasm - js| <= 1e-5 * max|js| + 1e-6 over each output or
 * gradient (float32 has 6e-8 relative precision; these sums have at most a few hundred terms,
 * and an element near 0 after cancellation carries the error of its largest terms).
 */
import {
  type Tensor,
  avgPool2d,
  binaryCrossEntropyWithLogits,
  concat,
  conv2d,
  crossEntropy,
  logSoftmax,
  matmul,
  maxPool2d,
  mseLoss,
  pad,
  seededRng,
  setBackend,
  softmax,
  stack,
  tensor,
  where,
} from '../../lib';

type Case = [name: string, compare: 'exact' | 'close', shapes: number[][], f: (xs: Tensor[]) => Tensor];

const cases: Case[] = [
  ['add broadcast', 'exact', [[3, 4], [4]], ([a, b]) => a.add(b)],
  [
    'sub',
    'exact',
    [
      [3, 4],
      [3, 1],
    ],
    ([a, b]) => a.sub(b),
  ],
  [
    'mul',
    'exact',
    [
      [2, 3, 4],
      [3, 4],
    ],
    ([a, b]) => a.mul(b),
  ],
  [
    'div',
    'exact',
    [
      [3, 4],
      [3, 4],
    ],
    ([a, b]) => a.div(b.abs().add(0.5)),
  ],
  ['pow', 'exact', [[3, 4]], ([a]) => a.abs().add(0.1).pow(1.7)],
  ['number operands', 'exact', [[5]], ([a]) => a.mul(3).add(1).sub(0.25).div(7)],
  [
    'maximum/minimum',
    'exact',
    [
      [4, 3],
      [4, 3],
    ],
    ([a, b]) => a.maximum(b).add(a.minimum(b).mul(2)),
  ],
  ['neg', 'exact', [[6]], ([a]) => a.neg()],
  ['exp', 'exact', [[6]], ([a]) => a.exp()],
  ['log', 'exact', [[6]], ([a]) => a.abs().add(0.1).log()],
  ['sqrt', 'exact', [[6]], ([a]) => a.abs().add(0.1).sqrt()],
  ['tanh', 'exact', [[6]], ([a]) => a.tanh()],
  ['sigmoid', 'exact', [[6]], ([a]) => a.sigmoid()],
  ['softplus', 'exact', [[6]], ([a]) => a.softplus()],
  ['sin/cos', 'exact', [[6]], ([a]) => a.sin().add(a.cos())],
  ['relu', 'exact', [[3, 5]], ([a]) => a.relu()],
  ['leakyRelu', 'close', [[3, 5]], ([a]) => a.leakyRelu(0.1)],
  ['abs', 'exact', [[7]], ([a]) => a.abs()],
  ['clamp', 'exact', [[7]], ([a]) => a.clamp(-0.5, 0.5)],
  [
    'where and comparisons',
    'exact',
    [
      [3, 4],
      [3, 4],
    ],
    ([a, b]) => where(a.gt(b), a, b.mul(2)).add(a.le(0)),
  ],
  ['sum/mean', 'close', [[3, 4, 5]], ([a]) => a.sum(1).add(a.mean([0, 1], true).reshape([1, 5]))],
  ['max/min', 'exact', [[4, 6]], ([a]) => a.max(1).add(a.min(0).sum())],
  ['logSumExp', 'close', [[4, 6]], ([a]) => a.logSumExp(1)],
  ['softmax', 'close', [[4, 6]], ([a]) => softmax(a, 1)],
  ['logSoftmax', 'exact', [[4, 6]], ([a]) => logSoftmax(a, 0)],
  [
    'matmul',
    'close',
    [
      [5, 7],
      [7, 3],
    ],
    ([a, b]) => matmul(a, b),
  ],
  [
    'matmul 130 (blocks, tails)',
    'close',
    [
      [33, 130],
      [130, 19],
    ],
    ([a, b]) => a.matmul(b),
  ],
  [
    'batched matmul broadcast',
    'close',
    [
      [2, 3, 4],
      [4, 5],
    ],
    ([a, b]) => a.matmul(b),
  ],
  ['matvec', 'close', [[3, 4], [4]], ([a, b]) => a.matmul(b)],
  ['reshape/transpose/permute', 'exact', [[2, 3, 4]], ([a]) => a.permute([2, 0, 1]).transpose(0, 1).reshape([6, 4])],
  ['expand/squeeze/unsqueeze', 'exact', [[3, 1]], ([a]) => a.expand([3, 4]).unsqueeze(0).squeeze(0)],
  ['slice/narrow', 'close', [[5, 6]], ([a]) => a.slice(1, 1, 5, 2).add(a.narrow(1, 0, 2))],
  [
    'concat/stack/pad',
    'exact',
    [
      [2, 3],
      [2, 3],
    ],
    ([a, b]) => concat([a, stack([a, b]).sum(0)], 1).add(pad(b, [0, 3])),
  ],
  [
    'indexSelect/gather',
    'exact',
    [[4, 3]],
    ([a]) => a.indexSelect(0, [3, 0, 3]).add(a.gather(1, [[0], [2], [1]]).sum()),
  ],
  [
    'indexAdd/scatterAdd',
    'close',
    [
      [4, 3],
      [2, 3],
    ],
    ([a, b]) =>
      a.indexAdd(0, [1, 1], b).scatterAdd(
        1,
        [
          [2, 0, 0],
          [1, 1, 2],
        ],
        b,
      ),
  ],
  ['crossEntropy', 'close', [[6, 4]], ([a]) => crossEntropy(a, [0, 3, 1, 2, 2, 0])],
  [
    'mseLoss',
    'close',
    [
      [3, 4],
      [3, 4],
    ],
    ([a, b]) => mseLoss(a, b),
  ],
  [
    'binaryCrossEntropyWithLogits',
    'close',
    [
      [3, 4],
      [3, 4],
    ],
    ([a, b]) => binaryCrossEntropyWithLogits(a, b.sigmoid()),
  ],
  ['conv2d stride 1 pad 1', 'close', [[2, 3, 6, 6], [4, 3, 3, 3], [4]], ([x, w, b]) => conv2d(x, w, b, { padding: 1 })],
  [
    'conv2d stride 2 dilation 2',
    'close',
    [
      [1, 2, 9, 9],
      [3, 2, 3, 3],
    ],
    ([x, w]) => conv2d(x, w, null, { stride: 2, dilation: 2 }),
  ],
  ['maxPool2d', 'exact', [[2, 2, 6, 6]], ([x]) => maxPool2d(x, 2)],
  ['maxPool2d overlapping', 'exact', [[1, 2, 7, 7]], ([x]) => maxPool2d(x, 3, { stride: 2, padding: 1 })],
  ['avgPool2d', 'close', [[2, 2, 6, 6]], ([x]) => avgPool2d(x, 3, { stride: 1, padding: 1 })],
];

/** Runs a case on one backend: the output and the inputs' gradients, as float32 arrays. */
function run(backend: 'js' | 'wasm', shapes: number[][], f: Case[3], seed: number): Float32Array[] {
  setBackend(backend);
  const rng = seededRng(seed);
  const inputs = shapes.map((shape) => {
    const n = shape.reduce((p, d) => p * d, 1);
    const data = Float32Array.from({ length: n }, () => rng() * 4 - 2);
    return tensor(data, { shape, requiresGrad: true });
  });
  const out = f(inputs);
  const weights = Float32Array.from({ length: out.size }, (_, i) => 1 + (i % 7) / 8);
  out
    .mul(tensor(weights, { shape: out.shape }))
    .sum()
    .backward();
  return [out, ...inputs.map((x) => x.grad ?? tensor(new Float32Array(x.size)))].map((t) => Float32Array.from(t.data));
}

afterAll(() => setBackend('wasm'));

describe.each(cases)('%s: forward and gradients on js and wasm agree (%s)', (name, compare, shapes, f) => {
  test.each([1, 2])('seed %i', (seed) => {
    const js = run('js', shapes, f, seed);
    const wasm = run('wasm', shapes, f, seed);
    js.forEach((expected, i) => {
      const what = i === 0 ? 'output' : `gradient of input ${i - 1}`;
      const got = Array.from(wasm[i]);
      const want = Array.from(expected);
      if (compare === 'close') {
        const tol = 1e-5 * Math.max(...want.map(Math.abs)) + 1e-6;
        const far = got.map((v, j) => (Math.abs(v - want[j]) <= tol ? 0 : v));
        expect({ what, far }).toEqual({ what, far: got.map(() => 0) });
      } else expect({ what, values: got }).toEqual({ what, values: want });
    });
  });
});

test('float64 tensors run on the TypeScript kernels under either backend, with equal results', () => {
  const results = (['js', 'wasm'] as const).map((backend) => {
    setBackend(backend);
    const x = tensor([0.1, 0.2, 0.3], { dtype: 'float64', requiresGrad: true });
    const y = x.exp().mul(x).sum();
    y.backward();
    expect(x._storage.constructor.name).toBe('ArrayStorage');
    return [y.item(), ...Array.from(x.grad!.data)];
  });
  expect(results[1]).toEqual(results[0]);
  expect(results[0][0]).toBe(0.1 * Math.exp(0.1) + 0.2 * Math.exp(0.2) + 0.3 * Math.exp(0.3));
});
