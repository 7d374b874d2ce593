/** Elementwise functions of one tensor: values, gradients at first and second order against finite differences, and the piecewise conventions (PyTorch's). */
import { Tensor, abs, clamp, exp, leakyRelu, log, relu, sigmoid, sqrt, tanh, tensor } from '../../../lib';
import { expectGradientsMatch, expectSecondOrderMatch, expectTensorClose, f64 } from '../../helpers/tensor-gradcheck';

const mixed = [
  [-1.7, -0.6, 0.3],
  [0.9, 1.4, -2.2],
]; // no zeros, no kinks
const positive = [
  [0.3, 0.8, 1.5],
  [2.4, 0.55, 3.1],
];

const cases: [string, (x: Tensor) => Tensor, number[][], (x: number) => number][] = [
  ['neg', (x) => x.neg(), mixed, (x) => -x],
  ['exp', (x) => x.exp(), mixed, Math.exp],
  ['log', (x) => x.log(), positive, Math.log],
  ['log1p', (x) => x.log1p(), mixed.map((r) => r.map((x) => x / 3)), Math.log1p],
  ['sqrt', (x) => x.sqrt(), positive, Math.sqrt],
  ['tanh', (x) => x.tanh(), mixed, Math.tanh],
  ['sigmoid', (x) => x.sigmoid(), mixed, (x) => 1 / (1 + Math.exp(-x))],
  ['softplus', (x) => x.softplus(), mixed, (x) => Math.log1p(Math.exp(x))],
  ['sin', (x) => x.sin(), mixed, Math.sin],
  ['cos', (x) => x.cos(), mixed, Math.cos],
  ['relu', (x) => x.relu(), mixed, (x) => Math.max(x, 0)],
  ['leakyRelu (default slope 0.01)', (x) => x.leakyRelu(), mixed, (x) => (x > 0 ? x : 0.01 * x)],
  ['leakyRelu (slope 0.2)', (x) => x.leakyRelu(0.2), mixed, (x) => (x > 0 ? x : 0.2 * x)],
  ['abs', (x) => x.abs(), mixed, Math.abs],
  ['clamp(-0.5, 1)', (x) => x.clamp(-0.5, 1), mixed, (x) => Math.min(Math.max(x, -0.5), 1)],
];

describe.each(cases)('%s', (_, f, at, reference) => {
  test('values match the scalar function in float64', () => {
    const out = f(f64(at));
    expect(out.dtype).toBe('float64');
    expectTensorClose(
      out,
      at.map((r) => r.map(reference)),
      1e-15,
    );
  });

  test('first-order gradients match central differences', () => expectGradientsMatch(f, [at]));

  test('second-order gradients match finite differences of the first', () => expectSecondOrderMatch(f, [at]));
});

describe('piecewise ops at their kinks (PyTorch conventions)', () => {
  const kinks = () => f64([-1, 0, 2], true);

  test('relu has gradient 0 at 0', () => {
    const x = kinks();
    x.relu().sum().backward();
    expectTensorClose(x.grad!, [0, 0, 1]);
  });

  test('abs has gradient 0 at 0 and the sign elsewhere', () => {
    const x = kinks();
    x.abs().sum().backward();
    expectTensorClose(x.grad!, [-1, 0, 1]);
  });

  test('leakyRelu has the slope at 0 (x > 0 takes 1)', () => {
    const x = kinks();
    x.leakyRelu(0.1).sum().backward();
    expectTensorClose(x.grad!, [0.1, 0.1, 1]);
  });

  test('clamp lets the gradient through on the closed interval, boundaries included', () => {
    const x = f64([-2, -1, 0.5, 1, 3], true);
    x.clamp(-1, 1).sum().backward();
    expectTensorClose(x.grad!, [0, 1, 1, 1, 0]);
  });

  test('an infinite incoming gradient gives exactly 0 on the flat side, not NaN', () => {
    const cases: [(t: Tensor) => Tensor, number[]][] = [
      [(t) => t.relu(), [-1, 0]],
      [(t) => t.clamp(0, 1), [-1, 2]],
      [(t) => t.abs(), [0, 0]],
    ];
    for (const [f, at] of cases) {
      const x = f64(at, true);
      f(x).backward(f64([Infinity, Infinity]));
      expect(Array.from(x.grad!.data)).toEqual([0, 0]);
    }
    const y = f64([-1, 0.5], true);
    y.relu().backward(f64([Infinity, 1]));
    expectTensorClose(y.grad!, [0, 1]);
  });
});

describe('stability and dtypes', () => {
  test('sigmoid and softplus do not overflow at ±1000', () => {
    expectTensorClose(f64([-1000, 1000]).sigmoid(), [0, 1]);
    expectTensorClose(f64([-1000, 1000]).softplus(), [0, 1000]);
    const x = f64([-1000, 1000], true);
    x.sigmoid().sum().backward();
    expectTensorClose(x.grad!, [0, 0]);
  });

  test('float32 results are the float64 function rounded to float32', () => {
    const x = tensor([0.5, 1.5]);
    expect(Array.from(x.exp().data)).toEqual([
      Math.fround(Math.exp(Math.fround(0.5))),
      Math.fround(Math.exp(Math.fround(1.5))),
    ]);
    expect(x.tanh().dtype).toBe('float32');
  });

  test('free functions give the same tensors as the methods', () => {
    const x = f64(mixed);
    const pairs: [Tensor, Tensor][] = [
      [exp(x), x.exp()],
      [tanh(x), x.tanh()],
      [sigmoid(x), x.sigmoid()],
      [relu(x), x.relu()],
      [abs(x), x.abs()],
      [leakyRelu(x, 0.3), x.leakyRelu(0.3)],
      [clamp(x, -1, 1), x.clamp(-1, 1)],
      [log(x.abs()), x.abs().log()],
      [sqrt(x.abs()), x.abs().sqrt()],
    ];
    for (const [a, b] of pairs) expect(Array.from(a.data)).toEqual(Array.from(b.data));
  });

  test('bad arguments are errors naming them', () => {
    expect(() => f64([1]).clamp(1, 0)).toThrow(/clamp\(x, min, max\): expected numbers with min <= max, got 1 and 0/);
    expect(() => f64([1]).leakyRelu(NaN)).toThrow(/leakyRelu\(x, slope\): slope must be a finite number/);
  });
});
