/**
 * Losses against hand-computed numbers (each derived from its formula with Math in float64,
 * and pinned as literals), every reduction, label smoothing, stability, gradients at first and
 * second order, and argument errors.
 */
import { Tensor, binaryCrossEntropyWithLogits, crossEntropy, mseLoss, tensor } from '../../../lib';
import { expectGradientsMatch, expectSecondOrderMatch, expectTensorClose, f64 } from '../../helpers/tensor-gradcheck';

const logits = [
  [1, 2, 3],
  [0.5, -1, 2],
];
const labels = [2, 1];

/** -Σ_c q_c log softmax(z)_c with q = (1 - ε) one-hot(y) + ε / C, by the formula. */
function handCrossEntropy(z: number[], y: number, eps: number): number {
  const lse = Math.log(z.reduce((s, v) => s + Math.exp(v), 0));
  return -z.reduce((s, v, c) => s + (eps / z.length + (c === y ? 1 - eps : 0)) * (v - lse), 0);
}

describe('crossEntropy', () => {
  test.each([
    // [labelSmoothing, per-row losses pinned from the formula]
    [0, [0.40760596444438013, 3.241311296657157]],
    [0.1, [0.5076059644443801, 3.091311296657157]],
  ])('label smoothing %p: each reduction gives the hand-computed numbers', (eps, pinned) => {
    const rows = logits.map((z, i) => handCrossEntropy(z, labels[i], eps));
    expectTensorClose(f64(rows), pinned, 1e-15);
    const none = crossEntropy(f64(logits), labels, { reduction: 'none', labelSmoothing: eps });
    expect(none.shape).toEqual([2]);
    expectTensorClose(none, rows, 1e-14);
    expectTensorClose(
      crossEntropy(f64(logits), labels, { reduction: 'sum', labelSmoothing: eps }),
      rows[0] + rows[1],
      1e-14,
    );
    const mean = crossEntropy(f64(logits), labels, { labelSmoothing: eps });
    expect(mean.shape).toEqual([]);
    expectTensorClose(mean, (rows[0] + rows[1]) / 2, 1e-14);
  });

  test.each([
    [
      0,
      [
        [0.04501528658519024, 0.12236423552739885, -0.167379522112589],
        [0.08764519607001835, -0.4804437133646563, 0.3927985172946379],
      ],
    ],
    [
      0.1,
      [
        [0.02834861991852357, 0.10569756886073219, -0.13404618877925567],
        [0.07097852940335168, -0.447110380031323, 0.3761318506279712],
      ],
    ],
  ])('label smoothing %p: the gradient of the mean is (softmax - q) / batch', (eps, pinned) => {
    const z = f64(logits, true);
    crossEntropy(z, labels, { labelSmoothing: eps }).backward();
    expectTensorClose(z.grad!, pinned, 1e-14);
  });

  test.each([
    ['mean', 0],
    ['sum', 0.1],
    ['none', 0.3],
  ] as const)(
    'reduction %s, smoothing %p: gradients at first and second order match finite differences',
    (reduction, labelSmoothing) => {
      const f = (z: Tensor) => crossEntropy(z, labels, { reduction, labelSmoothing });
      expectGradientsMatch(f, [logits]);
      expectSecondOrderMatch(f, [logits]);
    },
  );

  test('labels may be a Tensor; float32 logits give a float32 loss', () => {
    expectTensorClose(
      crossEntropy(f64(logits), tensor(labels), { reduction: 'none' }),
      logits.map((z, i) => handCrossEntropy(z, labels[i], 0)),
      1e-14,
    );
    const loss = crossEntropy(tensor([[0, 0]]), [1]);
    expect(loss.dtype).toBe('float32');
    expect(loss.item()).toBe(Math.fround(Math.LN2));
  });

  test('a -Infinity logit on a class that is not the label takes no part (PyTorch: finite loss and gradient)', () => {
    // torch.nn.functional.cross_entropy(torch.tensor([[0., -inf, 1.]], dtype=torch.float64,
    //   requires_grad=True), torch.tensor([2])) -> 0.31326168751822286; grad [0.2689414213699951, 0, -0.2689414213699951]
    for (const z of [f64([[0, -Infinity, 1]], true), tensor([[0, -Infinity, 1]], { requiresGrad: true })]) {
      const loss = crossEntropy(z, [2]);
      expect(loss.item()).toBeCloseTo(0.31326168751822286, z.dtype === 'float64' ? 15 : 7);
      loss.backward();
      expectTensorClose(z.grad!, [[0.2689414213699951, 0, -0.2689414213699951]], z.dtype === 'float64' ? 1e-15 : 1e-7);
    }
  });

  test('the numeric pass (softmax saved by the forward) and a createGraph pass (softmax recomputed) give the same gradient', () => {
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      const grads = [false, true].map((createGraph) => {
        const z = f64(logits, true);
        const loss = crossEntropy(z, labels, { reduction, labelSmoothing: 0.2 });
        (reduction === 'none' ? loss.sum() : loss).backward(undefined, { createGraph });
        expect(z.grad!.requiresGrad).toBe(createGraph);
        return z.grad!.toArray();
      });
      expect(grads[1]).toEqual(grads[0]);
    }
  });

  test('is stable for huge logits', () => {
    const z = f64(
      [
        [1000, 0, -1000],
        [0, 1000, 2000],
      ],
      true,
    );
    const loss = crossEntropy(z, [0, 0], { reduction: 'none' });
    expectTensorClose(loss, [0, 2000]);
    loss.sum().backward();
    expectTensorClose(z.grad!, [
      [0, 0, 0],
      [-1, 0, 1],
    ]);
  });

  test('bad labels, shapes and options are errors naming them', () => {
    expect(() => crossEntropy(f64(logits), [2])).toThrow(
      'crossEntropy(): 1 labels for 2 rows of logits (shape [2, 3]); there must be one label per row.',
    );
    expect(() => crossEntropy(f64(logits), [0, 3])).toThrow(
      'crossEntropy(): labels[1] is 3, but a label must be an integer class index in [0, 2].',
    );
    expect(() => crossEntropy(f64(logits), [0, 1.5])).toThrow('labels[1] is 1.5');
    expect(() => crossEntropy(f64([1, 2]), [0])).toThrow(
      'crossEntropy(): logits must have shape [batch, classes], got [2].',
    );
    expect(() => crossEntropy(f64(logits), labels, { labelSmoothing: 1.5 })).toThrow(
      'crossEntropy(): labelSmoothing must be a number in [0, 1], got 1.5.',
    );
    expect(() => crossEntropy(f64(logits), labels, { reduction: 'avg' as 'mean' })).toThrow(
      "crossEntropy(): reduction must be 'mean', 'sum' or 'none'",
    );
  });
});

describe('mseLoss', () => {
  const p = [
    [0.5, -1.25],
    [2, 0.75],
  ];
  const t = [
    [1, -1],
    [0.5, 0.5],
  ];
  const squares = [0.25, 0.0625, 2.25, 0.0625];

  test('each reduction gives the hand-computed numbers', () => {
    expectTensorClose(mseLoss(f64(p), f64(t)), (0.25 + 0.0625 + 2.25 + 0.0625) / 4);
    expectTensorClose(mseLoss(f64(p), f64(t), { reduction: 'sum' }), 2.625);
    expectTensorClose(mseLoss(f64(p), f64(t), { reduction: 'none' }), [squares.slice(0, 2), squares.slice(2)]);
  });

  test('gradients for prediction and target at first and second order match finite differences', () => {
    const f = (a: Tensor, b: Tensor) => mseLoss(a, b);
    expectGradientsMatch(f, [p, t]);
    expectSecondOrderMatch(f, [p, t]);
    const a = f64(p, true);
    mseLoss(a, f64(t)).backward();
    expectTensorClose(a.grad!, [
      [-0.25, -0.125],
      [0.75, 0.125],
    ]);
  });
});

describe('binaryCrossEntropyWithLogits', () => {
  const x = [2, -2, 0.5, -0.75];
  const y = [1, 1, 0, 0.25];
  /** -[y log σ(x) + (1 - y) log(1 - σ(x))] = softplus(x) - x y. */
  const hand = x.map((xi, i) => Math.log1p(Math.exp(xi)) - xi * y[i]);

  test('each reduction gives the hand-computed numbers', () => {
    expectTensorClose(f64(hand.slice(0, 2)), [0.1269280110429725, 2.1269280110429727], 1e-15);
    expectTensorClose(binaryCrossEntropyWithLogits(f64(x), f64(y), { reduction: 'none' }), hand, 1e-15);
    expectTensorClose(
      binaryCrossEntropyWithLogits(f64(x), f64(y), { reduction: 'sum' }),
      hand.reduce((s, v) => s + v),
      1e-14,
    );
    expectTensorClose(binaryCrossEntropyWithLogits(f64(x), f64(y)), hand.reduce((s, v) => s + v) / 4, 1e-14);
  });

  test('is stable for huge logits, and its gradient is sigmoid(x) - y', () => {
    const z = f64([1000, -1000, 1000], true);
    const loss = binaryCrossEntropyWithLogits(z, f64([1, 1, 0]), { reduction: 'sum' });
    expectTensorClose(loss, 2000);
    loss.backward();
    expectTensorClose(z.grad!, [0, -1, 1]);
  });

  test('gradients for logits and target at first and second order match finite differences', () => {
    const f = (a: Tensor, b: Tensor) => binaryCrossEntropyWithLogits(a, b, { reduction: 'none' });
    expectGradientsMatch(f, [x, y]);
    expectSecondOrderMatch(f, [x, y]);
  });

  test('shapes that do not broadcast are an error naming the loss and both shapes', () => {
    expect(() => mseLoss(f64([1, 2, 3]), f64([1, 2]))).toThrow(
      'mseLoss(): shapes [3] and [2] cannot be broadcast together',
    );
    expect(() => binaryCrossEntropyWithLogits(f64([[1, 2]]), f64([1, 2, 3]))).toThrow(
      'binaryCrossEntropyWithLogits(): shapes [1, 2] and [3] cannot be broadcast together',
    );
  });

  test('an unknown reduction is an error naming the op', () => {
    expect(() => binaryCrossEntropyWithLogits(f64(x), f64(y), { reduction: 'avg' as 'mean' })).toThrow(
      'binaryCrossEntropyWithLogits(): reduction must be',
    );
    expect(() => mseLoss(f64(x), 'y' as unknown as Tensor)).toThrow('mseLoss(): target must be a Tensor');
  });
});
