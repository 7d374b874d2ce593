/** softmax and logSoftmax along each axis: values, stability, gradients at first and second order. */
import { logSoftmax, softmax } from '../../../lib';
import { expectGradientsMatch, expectSecondOrderMatch, expectTensorClose, f64 } from '../../helpers/tensor-gradcheck';

const at = [
  [
    [0.3, -1.2, 2.1, 0.4],
    [1.7, 0.2, -0.5, -2.3],
    [0.9, 1.1, -0.8, 0.6],
  ],
  [
    [-0.7, 0.5, 1.3, -1.9],
    [2.4, -0.1, 0.8, 1.2],
    [-1.4, 0.05, 0.35, 2.2],
  ],
]; // [2, 3, 4]

describe.each([0, 1, 2, -1])('along axis %p of a [2, 3, 4] tensor', (axis) => {
  test('softmax: first- and second-order gradients match finite differences', () => {
    expectGradientsMatch((x) => x.softmax(axis), [at]);
    expectSecondOrderMatch((x) => x.softmax(axis), [at]);
  });

  test('logSoftmax: first- and second-order gradients match finite differences', () => {
    expectGradientsMatch((x) => x.logSoftmax(axis), [at]);
    expectSecondOrderMatch((x) => x.logSoftmax(axis), [at]);
  });

  test('softmax sums to 1 along the axis and equals exp(logSoftmax)', () => {
    const x = f64(at);
    const s = softmax(x, axis);
    expect(s.shape).toEqual([2, 3, 4]);
    const ones = s.sum(axis);
    for (const v of ones.data) expect(v).toBeCloseTo(1, 14);
    expectTensorClose(logSoftmax(x, axis).exp().reshape([-1]), Array.from(s.data), 1e-15);
  });
});

describe('values', () => {
  test('softmax([1, 2, 3]) and logSoftmax([1, 2, 3]) by the formula', () => {
    const z = Math.exp(1) + Math.exp(2) + Math.exp(3);
    expectTensorClose(f64([1, 2, 3]).softmax(), [Math.exp(1) / z, Math.exp(2) / z, Math.exp(3) / z], 1e-15);
    expectTensorClose(f64([1, 2, 3]).logSoftmax(), [1 - Math.log(z), 2 - Math.log(z), 3 - Math.log(z)], 1e-15);
  });

  test('large logits neither overflow nor lose the differences', () => {
    const big = f64([1000, 1001, 1002]);
    const small = f64([0, 1, 2]);
    // x - logSumExp(x) at 1000 rounds at about 1000 * 2^-52 ≈ 2e-13.
    expectTensorClose(big.softmax(), Array.from(small.softmax().data), 1e-12);
    expectTensorClose(f64([-1000, 0]).logSoftmax(), [-1000, 0]);
  });

  test('the gradient of softmax is out * (g - sum(g * out)); of logSoftmax g - softmax * sum(g)', () => {
    const x = f64([0.5, -1, 2], true);
    const g = [1, 2, 3];
    const s = x.softmax();
    const p = Array.from(s.data);
    s.backward(f64(g));
    const dot = p.reduce((t, pi, i) => t + pi * g[i], 0);
    expectTensorClose(
      x.grad!,
      p.map((pi, i) => pi * (g[i] - dot)),
      1e-15,
    );
    const y = f64([0.5, -1, 2], true);
    y.logSoftmax().backward(f64(g));
    expectTensorClose(
      y.grad!,
      p.map((pi, i) => g[i] - pi * 6),
      1e-14,
    );
  });

  test('an axis out of range is an error naming the op', () => {
    expect(() => f64([1, 2]).softmax(1)).toThrow('softmax(): axis 1 is out of range for a tensor with 1 dimension(s)');
    expect(() => f64([1, 2]).logSoftmax(-2)).toThrow('logSoftmax(): axis -2 is out of range');
  });
});
