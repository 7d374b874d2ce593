/**
 * Every tensor layer's forward and gradients in float64: against central finite differences,
 * and against PyTorch 1.13 (spec/nn/tensor/pytorch-reference.json, made by
 * pytorch-reference.py beside it, which names the module, input and parameters of each case).
 */
import { type Tensor, nn, tensor } from '../../../lib';
import {
  det,
  expectClose,
  finiteDifferenceMismatches,
  outputAndGrads,
  setParameters,
} from '../../helpers/module-check';
import reference from './pytorch-reference.json';

type Case = Record<string, number[]>;
const ref = reference as unknown as Record<string, Case>;
const f64 = { dtype: 'float64' as const };

/** Compares every array the reference case has (out, x.grad, weight.grad, ...) and the shape. */
function expectReference(name: string, module: nn.Module, input: Tensor, tolerance = 1e-10): void {
  const got = outputAndGrads(module, (x) => module.forward(x), input);
  const expected = ref[name];
  expect(got.shape).toEqual(expected.shape);
  for (const key of Object.keys(expected)) if (key !== 'shape') expectClose(got[key], expected[key], tolerance);
}

function expectFiniteDifferences(module: nn.Module, input: Tensor): void {
  expect(finiteDifferenceMismatches(module, (x) => module.forward(x), input)).toEqual([]);
}

describe('nn.Linear', () => {
  const make = () => {
    const fc = new nn.Linear(3, 2, f64);
    setParameters(fc, { weight: det([2, 3], 1), bias: det([2], 2) });
    return fc;
  };
  test('forward and gradients match PyTorch and finite differences', () => {
    expectReference('linear', make(), det([4, 3], 0));
    expectFiniteDifferences(make(), det([4, 3], 0));
  });
  test('leading dimensions pass through; no bias; shape errors print both shapes', () => {
    const fc = new nn.Linear(3, 2, { ...f64, bias: false });
    expect(fc.namedParameters().map(([n]) => n)).toEqual(['weight']);
    expect(fc.forward(det([2, 5, 3])).shape).toEqual([2, 5, 2]);
    expect(fc.forward(det([3])).shape).toEqual([2]);
    expect(() => fc.forward(det([4, 2]))).toThrow('got x of shape [4, 2] (weight [2, 3])');
  });
});

describe('nn.Conv2d', () => {
  test('stride, padding, dilation and groups match PyTorch and finite differences', () => {
    const make = () => {
      const conv = new nn.Conv2d(4, 6, [3, 2], {
        stride: [2, 1],
        padding: [1, 2],
        dilation: [2, 1],
        groups: 2,
        ...f64,
      });
      setParameters(conv, { weight: det([6, 2, 3, 2], 1), bias: det([6], 2) });
      return conv;
    };
    expect(make().weight.shape).toEqual([6, 2, 3, 2]);
    expectReference('conv_groups', make(), det([2, 4, 5, 6], 0));
    expectFiniteDifferences(make(), det([1, 4, 5, 4], 3));
  });
  test("padding 'same' with dilation, depthwise, no bias", () => {
    const conv = new nn.Conv2d(3, 3, 3, { padding: 'same', dilation: 2, groups: 3, bias: false, ...f64 });
    setParameters(conv, { weight: det([3, 1, 3, 3], 1) });
    expectReference('conv_same_depthwise', conv, det([1, 3, 6, 5], 0));
    expectFiniteDifferences(conv, det([1, 3, 6, 5], 0));
  });
  test('refuses channels not divisible by groups', () => {
    expect(() => new nn.Conv2d(4, 6, 3, { groups: 4 })).toThrow('must both be divisible by groups (4)');
  });
});

describe('pooling and Flatten', () => {
  test('MaxPool2d with stride and padding', () => {
    const pool = new nn.MaxPool2d(3, { stride: 2, padding: 1 });
    expectReference('maxpool', pool, det([2, 3, 5, 5], 0));
    expectFiniteDifferences(pool, det([2, 3, 5, 5], 0));
  });
  test('AvgPool2d with a rectangular kernel, stride and padding', () => {
    const pool = new nn.AvgPool2d([2, 3], { stride: [1, 2], padding: [1, 1] });
    expectReference('avgpool', pool, det([1, 2, 4, 5], 0));
    expectFiniteDifferences(pool, det([1, 2, 4, 5], 0));
  });
  test('Flatten keeps the batch dimension', () => {
    expectReference('flatten', new nn.Flatten(), det([2, 3, 2], 0));
    expect(new nn.Flatten(0).forward(det([2, 3, 2])).shape).toEqual([12]);
  });
});

describe('activations', () => {
  const x = det([9], 0, 3);
  test.each([
    ['relu', () => new nn.ReLU()],
    ['tanh', () => new nn.Tanh()],
    ['sigmoid', () => new nn.Sigmoid()],
    ['leaky_relu', () => new nn.LeakyReLU(0.2)],
    ['gelu', () => new nn.GELU()],
    ['gelu_tanh', () => new nn.GELU({ approximate: 'tanh' })],
  ])('%s matches PyTorch and finite differences', (name, make) => {
    expectReference(name, make(), x, 1e-12);
    expectFiniteDifferences(make(), x);
  });
  test('call is forward', () => {
    expect(new nn.ReLU().call(tensor([-1, 2])).toArray()).toEqual([0, 2]);
  });
});

describe('nn.LayerNorm and nn.Embedding', () => {
  test('LayerNorm over the last two dimensions', () => {
    const make = () => {
      const norm = new nn.LayerNorm([3, 4], f64);
      setParameters(norm, { weight: det([3, 4], 1), bias: det([3, 4], 2) });
      return norm;
    };
    expectReference('layernorm', make(), det([2, 3, 4], 0));
    expectFiniteDifferences(make(), det([2, 3, 4], 0));
    expect(() => make().forward(det([2, 4, 3]))).toThrow('must be [3, 4], got shape [2, 4, 3]');
  });
  test('Embedding rows, and gradients added into the rows used', () => {
    const emb = new nn.Embedding(5, 3, f64);
    setParameters(emb, { weight: det([5, 3], 1) });
    const out = emb.forward(
      tensor([
        [1, 4],
        [4, 0],
      ]),
    );
    expect(out.shape).toEqual(ref.embedding.shape);
    expectClose(out.data, ref.embedding.out);
    out.mul(det(out.shape, 99)).sum().backward();
    expectClose(emb.weight.grad!.data, ref.embedding['weight.grad']);
    expect(emb.forward([2]).toArray()).toEqual([Array.from(det([5, 3], 1).data.slice(6, 9))]);
  });
});
