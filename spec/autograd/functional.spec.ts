import { type Tensor, Value, gradFn, noGrad, tensor, valueAndGrad } from '../../lib';

describe('gradFn and valueAndGrad', () => {
  test('numbers in, numbers out', () => {
    expect(gradFn((x: Value) => x.pow(3))(2)).toBe(12);
    expect(valueAndGrad((x: Value) => x.mul(x))(3)).toEqual([9, 6]);
  });

  test('argnums picks arguments; the others pass through unchanged', () => {
    const f = (x: Value, y: Value, scale: number) => x.mul(y).mul(scale);
    expect(gradFn(f, { argnums: [0, 1] })(2, 5, 10)).toEqual([50, 20]);
    expect(gradFn(f, { argnums: 1 })(new Value(2, { requiresGrad: false }), 5, 10)).toBe(20);
    expect(valueAndGrad(f, { argnums: [0] })(2, 5, 10)).toEqual([100, [50]]);
  });

  test('nests to any order', () => {
    const f = (x: Value) => x.pow(4);
    expect(gradFn(gradFn(f))(2)).toBe(48);
    expect(gradFn(gradFn(gradFn(f)))(2)).toBe(48);
  });

  test('a function that ignores its input has gradient 0 (as in JAX)', () => {
    expect(gradFn(() => new Value(3, { requiresGrad: false }))(1)).toBe(0);
    expect(gradFn(() => 7)(1)).toBe(0);
  });

  test('called with a Value that requires grad, returns a Value with a graph', () => {
    const x = new Value(3);
    const g = gradFn((v: Value) => v.mul(v))(x) as Value;
    expect(g).toBeInstanceOf(Value);
    g.backward();
    expect(x.grad).toBe(2);
  });

  test('bad arguments get clear errors', () => {
    expect(() => gradFn(3 as unknown as () => number)).toThrow(/f must be a function/);
    expect(() => gradFn((x: Value) => x, { argnums: -1 })).toThrow(/argnums/);
    expect(() => gradFn((x: Value) => x, { argnums: 2 })(1)).toThrow(/argument 2, but only 1/);
    expect(() => gradFn((x: Value) => x)('1' as unknown as number)).toThrow(
      /argument 0 must be a number, a Value or a Tensor/,
    );
    expect(() => gradFn(() => 'x' as unknown as number)(1)).toThrow(
      /f must return a Value, a one-element Tensor or a number/,
    );
  });
});

describe('gradFn is a function transform: an outer noGrad does not silence it', () => {
  test('numbers in: the gradient is computed inside noGrad too (it used to be a silent 0)', () => {
    const f = (x: Value) => x.pow(3);
    expect(noGrad(() => gradFn(f)(2))).toBe(12);
    expect(noGrad(() => valueAndGrad(f)(2))).toEqual([8, 12]);
  });

  test('Values in, inside noGrad: constant results, no graph back to the outer Values', () => {
    const x = new Value(2);
    const [value, g] = noGrad(() => valueAndGrad((v: Value) => v.mul(v))(x)) as [Value, Value];
    expect([value.data, g.data, value.requiresGrad, g.requiresGrad]).toEqual([4, 4, false, false]);
  });

  test('Tensors in, inside noGrad', () => {
    const g = noGrad(() => gradFn((t: Tensor) => t.mul(t).sum())(tensor([1, 2], { dtype: 'float64' }))) as Tensor;
    expect(g.toArray()).toEqual([2, 4]);
  });
});
