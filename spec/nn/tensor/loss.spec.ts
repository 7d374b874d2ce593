/**
 * Each loss with every reduction, values and input gradients, against PyTorch 1.13 in float64
 * (pytorch-reference.py: loss_case, the gradient of sum(det(shape, 99) ⊙ loss)) and finite
 * differences; the loss modules call the same functions.
 */
import {
  type Reduction,
  type Tensor,
  binaryCrossEntropyWithLogits,
  crossEntropy,
  l1Loss,
  mseLoss,
  nllLoss,
  nn,
  tensor,
} from '../../../lib';
import { det, expectClose } from '../../helpers/module-check';
import { expectGradientsMatch } from '../../helpers/tensor-gradcheck';
import reference from './pytorch-reference.json';

const ref = reference as unknown as Record<string, Record<Reduction, { out: number[]; 'x.grad': number[] }>>;
const labels = [3, 0, 4, 1];
const logits = det([4, 5], 0, 2);
const logProbs = logits.logSoftmax(1);

const cases: [string, Tensor, (x: Tensor, reduction: Reduction) => Tensor][] = [
  ['cross_entropy', logits, (x, reduction) => crossEntropy(x, labels, { reduction })],
  ['cross_entropy_smooth', logits, (x, reduction) => crossEntropy(x, labels, { reduction, labelSmoothing: 0.1 })],
  ['nll', logProbs, (x, reduction) => nllLoss(x, labels, { reduction })],
  ['mse', det([3, 4], 0), (x, reduction) => mseLoss(x, det([3, 4], 3), { reduction })],
  ['l1', det([3, 4], 0), (x, reduction) => l1Loss(x, det([3, 4], 3), { reduction })],
  [
    'bce',
    det([3, 4], 0, 4),
    (x, reduction) => binaryCrossEntropyWithLogits(x, det([3, 4], 3).sigmoid(), { reduction }),
  ],
];

describe.each(cases)('%s', (name, input, loss) => {
  test.each(['mean', 'sum', 'none'] as const)('reduction %s matches PyTorch and finite differences', (reduction) => {
    const x = tensor(Float64Array.from(input.data), { shape: input.shape, dtype: 'float64', requiresGrad: true });
    const value = loss(x, reduction);
    expect(value.shape).toEqual(
      reduction === 'none' ? (name.startsWith('cross') || name === 'nll' ? [4] : [3, 4]) : [],
    );
    value.mul(det(value.shape, 99)).sum().backward();
    expectClose(value.data, ref[name][reduction].out, 1e-12);
    expectClose(x.grad!.data, ref[name][reduction]['x.grad'], 1e-12);
    expectGradientsMatch((y) => loss(y, reduction), [input]);
  });
});

describe('loss arguments and modules', () => {
  test('labels are checked: count, integer, range', () => {
    expect(() => nllLoss(logProbs, [1, 2])).toThrow('nllLoss(): 2 labels for 4 rows');
    expect(() => nllLoss(logProbs, [1, 2, 3, 5])).toThrow('labels[3] is 5');
    expect(() => crossEntropy(logits, [1, 2, 0.5, 1])).toThrow('labels[2] is 0.5');
    expect(() => l1Loss(det([2]), det([3]))).toThrow(/l1Loss/);
    expect(() => mseLoss(det([2]), det([2]), { reduction: 'avg' as Reduction })).toThrow("reduction must be 'mean'");
  });

  test('the loss modules give what their functions give', () => {
    const target = det([4, 5], 3);
    const pairs: [Tensor, Tensor][] = [
      [
        new nn.CrossEntropyLoss({ labelSmoothing: 0.1 }).forward(logits, labels),
        crossEntropy(logits, labels, { labelSmoothing: 0.1 }),
      ],
      [new nn.NLLLoss({ reduction: 'sum' }).call(logProbs, labels), nllLoss(logProbs, labels, { reduction: 'sum' })],
      [new nn.MSELoss().forward(logits, target), mseLoss(logits, target)],
      [new nn.L1Loss({ reduction: 'none' }).forward(logits, target), l1Loss(logits, target, { reduction: 'none' })],
      [
        new nn.BCEWithLogitsLoss().forward(logits, target.sigmoid()),
        binaryCrossEntropyWithLogits(logits, target.sigmoid()),
      ],
    ];
    for (const [a, b] of pairs) expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(String(new nn.CrossEntropyLoss({ labelSmoothing: 0.1 }))).toBe(
      'CrossEntropyLoss(labelSmoothing=0.1; 0 parameters)',
    );
  });
});
