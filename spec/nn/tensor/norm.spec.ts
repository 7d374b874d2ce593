/**
 * BatchNorm in training (batch statistics, running statistics updated with PyTorch's momentum
 * 0.1 and the unbiased variance) and in eval (running statistics), against PyTorch 1.13
 * (pytorch-reference.py: two training batches, then one in eval) and finite differences.
 */
import { nn, seededRng, randn, zeros } from '../../../lib';
import {
  det,
  expectClose,
  finiteDifferenceMismatches,
  outputAndGrads,
  setParameters,
} from '../../helpers/module-check';
import reference from './pytorch-reference.json';

type Step = Record<string, number[]>;
type Run = { train1: Step; train2: Step; eval: Step; stats: Record<string, number[] | number> };
const ref = reference as unknown as Record<string, Run>;

function expectStep(got: Record<string, number[]>, expected: Step): void {
  for (const key of Object.keys(expected)) if (key !== 'shape') expectClose(got[key], expected[key], 1e-9);
}

describe.each([
  ['batchnorm2d', () => new nn.BatchNorm2d(3, { dtype: 'float64' }), [4, 3, 2, 3]],
  ['batchnorm1d', () => new nn.BatchNorm1d(3, { dtype: 'float64' }), [5, 3]],
  ['batchnorm1d_3d', () => new nn.BatchNorm1d(3, { dtype: 'float64' }), [4, 3, 2]],
] as const)('%s', (name, make, shape) => {
  const build = () => {
    const bn = make();
    setParameters(bn, { weight: det([3], 1), bias: det([3], 2) });
    return bn;
  };

  test('two training steps, running statistics, then eval, as PyTorch', () => {
    const bn = build();
    const run = ref[name];
    expectStep(
      outputAndGrads(bn, (x) => bn.forward(x), det(shape, 0)),
      run.train1,
    );
    expectStep(
      outputAndGrads(bn, (x) => bn.forward(x), det(shape, 5, 2)),
      run.train2,
    );
    const state = bn.stateDict();
    expectClose(state.running_mean.data, run.stats.running_mean as number[], 1e-12);
    expectClose(state.running_var.data, run.stats.running_var as number[], 1e-12);
    expect(state.num_batches_tracked.item()).toBe(run.stats.num_batches_tracked);
    bn.eval();
    expectStep(
      outputAndGrads(bn, (x) => bn.forward(x), det(shape, 7)),
      run.eval,
    );
    // Eval does not update the running statistics.
    expect(Array.from(bn.runningMean!.data)).toEqual(Array.from(state.running_mean.data));
  });

  test('gradients against finite differences, in training and in eval', () => {
    const bn = build();
    expect(finiteDifferenceMismatches(bn, (x) => bn.forward(x), det(shape, 0))).toEqual([]);
    bn.eval();
    expect(finiteDifferenceMismatches(bn, (x) => bn.forward(x), det(shape, 0))).toEqual([]);
  });
});

describe('BatchNorm options and buffers', () => {
  test('running buffers are state, not parameters, under PyTorch names', () => {
    const bn = new nn.BatchNorm2d(4);
    expect(bn.namedParameters().map(([n]) => n)).toEqual(['weight', 'bias']);
    expect(bn.namedBuffers().map(([n]) => n)).toEqual(['running_mean', 'running_var', 'num_batches_tracked']);
    expect(Object.keys(bn.stateDict())).toEqual([
      'weight',
      'bias',
      'running_mean',
      'running_var',
      'num_batches_tracked',
    ]);
    expect(Array.from(bn.runningVar!.data)).toEqual([1, 1, 1, 1]);
    expect(bn.runningMean!.requiresGrad).toBe(false);
  });

  test('momentum null is a cumulative average; trackRunningStats false uses batch statistics in eval', () => {
    const bn = new nn.BatchNorm1d(2, { momentum: null, dtype: 'float64' });
    const a = randn([6, 2], { rng: seededRng(1), dtype: 'float64' });
    const b = randn([6, 2], { rng: seededRng(2), dtype: 'float64' }).add(3);
    bn.forward(a);
    bn.forward(b);
    const average = a.mean(0).add(b.mean(0)).div(2);
    expectClose(bn.runningMean!.data, average.data, 1e-12);
    const untracked = new nn.BatchNorm1d(2, { trackRunningStats: false, affine: false, dtype: 'float64' }).eval();
    expect(untracked.namedBuffers()).toEqual([]);
    expect(untracked.parameters()).toEqual([]);
    expectClose(untracked.forward(b).mean(0).data, [0, 0], 1e-12);
  });

  test('refuses one value per channel in training, and a wrong channel count', () => {
    const bn = new nn.BatchNorm1d(3);
    expect(() => bn.forward(zeros([1, 3]))).toThrow('more than 1 value per channel');
    expect(() => bn.forward(zeros([4, 2]))).toThrow('3 channels in dimension 1, got shape [4, 2]');
    expect(bn.eval().forward(zeros([1, 3])).shape).toEqual([1, 3]);
  });
});
