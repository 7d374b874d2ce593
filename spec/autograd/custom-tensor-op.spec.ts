/** customTensorOp: a user's op on Tensors with its own backward, at first and second order. */
import { customTensorOp, grad, tensor, type Tensor } from '../../lib';

const cube = customTensorOp({
  name: 'cube',
  forward: (x) => (x as Tensor).pow(3),
  backward: ({ inputs: [x], grad: g }) => [g.mul((x as Tensor).pow(2)).mul(3)],
});

test('forward and first-order gradient: d/dx x^3 = 3x^2; the op is named', () => {
  const x = tensor([1, 2, -3], { requiresGrad: true, dtype: 'float64' });
  const y = cube(x);
  expect(y.op).toBe('cube');
  expect(y.toArray()).toEqual([1, 8, -27]);
  y.sum().backward();
  expect(x.grad!.toArray()).toEqual([3, 12, 27]);
});

test('a backward written with ops differentiates again: d²/dx² x^3 = 6x', () => {
  const x = tensor([1, 2], { requiresGrad: true, dtype: 'float64' });
  const [g] = grad(cube(x).sum(), [x], { createGraph: true });
  const [gg] = grad(g.sum(), [x]);
  expect(gg.toArray()).toEqual([6, 12]);
});

test('a straight-through estimator: round forward, identity backward', () => {
  const ste = customTensorOp({
    name: 'roundSTE',
    forward: (x) => (x as Tensor).mul(2).add(0.5).clamp(0, 3),
    backward: ({ grad: g }) => [g],
  });
  const x = tensor([0.2, 0.7], { requiresGrad: true });
  ste(x)
    .mul(tensor([1, 10]))
    .sum()
    .backward();
  expect(Array.from(x.grad!.data)).toEqual([1, 10]);
});

test('a gradient of the wrong shape is refused, naming the op and both shapes', () => {
  const bad = customTensorOp({
    name: 'bad',
    forward: (x) => (x as Tensor).mul(1),
    backward: ({ grad: g }) => [g.sum()],
  });
  const x = tensor([1, 2], { requiresGrad: true });
  expect(() => bad(x).sum().backward()).toThrow(/'bad'.*shape \[2\].*shape \[\]/);
  expect(x.grad).toBeNull();
});
