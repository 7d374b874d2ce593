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

describe('refusals, word for word', () => {
  const forward = (x: Tensor | number) => (x as Tensor).mul(2);
  const backward = ({ grad: g }: { grad: Tensor }) => [g.mul(2)];

  test('a spec that is not an object, or lacks a name, a forward or a backward', () => {
    expect(() => customTensorOp(null as never)).toThrow(
      new TypeError('customTensorOp(spec): spec must be an object, got null.'),
    );
    expect(() => customTensorOp(7 as never)).toThrow(
      new TypeError('customTensorOp(spec): spec must be an object, got 7.'),
    );
    const noName = new TypeError('customTensorOp(spec): spec.name must be a non-empty string.');
    expect(() => customTensorOp({ name: '', forward, backward })).toThrow(noName);
    expect(() => customTensorOp({ name: 3 as never, forward, backward })).toThrow(noName);
    expect(() => customTensorOp({ name: 'twice', forward: 1 as never, backward })).toThrow(
      new TypeError("customTensorOp 'twice': spec.forward must be a function."),
    );
    expect(() => customTensorOp({ name: 'twice', forward } as never)).toThrow(
      new TypeError("customTensorOp 'twice': spec.backward must be a function."),
    );
  });

  test('an argument that is not a Tensor or a number, and a forward that returns no Tensor', () => {
    const twice = customTensorOp({ name: 'twice', forward, backward });
    expect(() => twice('2' as never)).toThrow(
      new TypeError('customTensorOp \'twice\': argument 0 must be a Tensor or a number, got "2" (a string).'),
    );
    const bad = customTensorOp({ name: 'bad', forward: () => 3 as never, backward });
    expect(() => bad(tensor([1]))).toThrow(
      new TypeError("customTensorOp 'bad': forward must return a Tensor, but returned 3."),
    );
  });

  test('a backward that returns no array, or one gradient too few', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const none = customTensorOp({ name: 'none', forward, backward: () => 5 as never });
    expect(() => none(x).sum().backward()).toThrow(
      new TypeError("customTensorOp 'none': backward must return one gradient per input (1), but returned 5."),
    );
    const few = customTensorOp({ name: 'few', forward: (a) => (a as Tensor).mul(2), backward: ({ grad: g }) => [g] });
    expect(() => few(x, 3).sum().backward()).toThrow(
      /^customTensorOp 'few': backward must return one gradient per input \(2\), but returned /,
    );
    expect(x.grad).toBeNull();
  });
});

describe('gradients', () => {
  test('a null gradient leaves its input without one; a number argument gets none', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = tensor([3, 4], { requiresGrad: true });
    const first = customTensorOp({
      name: 'first',
      forward: (a, b, k) => (a as Tensor).mul(k).add((b as Tensor).mul(0)),
      backward: ({ grad: g, inputs: [, , k] }) => [g.mul(k), null, null],
    });
    first(x, y, 5).sum().backward();
    expect([Array.from(x.grad!.data), y.grad]).toEqual([[5, 5], null]);
  });
});
