/** gradcheck on Tensor inputs: every element checked, at first and second order, and a wrong gradient caught. */
import { gradcheck, matmul, tensor, type Tensor, type Value } from '../../lib';

const a = tensor(
  [
    [0.3, -0.2],
    [0.5, 0.1],
  ],
  { dtype: 'float64' },
);
const b = tensor([0.7, -1.1], { dtype: 'float64' });

test('a function of two tensors passes at first and second order; entries count every element', () => {
  const result = gradcheck((x: Tensor, y: Tensor) => matmul(x, y).tanh().sum().add(x.pow(2).sum()), [a, b], {
    secondOrder: true,
  });
  expect(result.ok).toBe(true);
  expect(result.maxError).toBeLessThan(1e-8);
  expect(result.worst!.input).toBeLessThan(6);
});

test('numbers and tensors mixed: the number arrives as a Value', () => {
  const result = gradcheck((x: Value, y: Tensor) => y.mul(x).pow(2).sum(), [0.5, b], { secondOrder: true });
  expect(result.ok).toBe(true);
});

test('a wrong gradient (a hook that doubles it) is caught and named', () => {
  const result = gradcheck(
    (x: Tensor) => {
      const y = x.mul(3);
      if (y.requiresGrad) y.registerHook((g) => g.mul(2));
      return y.sum();
    },
    [b],
  );
  expect(result.ok).toBe(false);
  expect(result.worst!.analytic).toBeCloseTo(6, 10);
  expect(result.worst!.numeric).toBeCloseTo(3, 6);
});

test('f must return a one-element tensor', () => {
  expect(() => gradcheck((x: Tensor) => x.mul(2), [b])).toThrow(/one-element Tensor.*shape \[2\]/);
});
