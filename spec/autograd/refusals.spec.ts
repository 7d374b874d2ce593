/**
 * The autograd functions' option checks and refusals word for word (grad, gradcheck, gradFn),
 * and the results that hang on an option's exact handling.
 */
import { type Tensor, Value, customOp, gradFn, gradcheck, grad, tensor, valueAndGrad } from '../../lib';

describe('grad() options and gradOutput', () => {
  const x = new Value(2);
  const y = x.mul(x);

  test('options that are not an object, and flags that are not booleans', () => {
    expect(() => grad(y, [x], 3 as never)).toThrow(
      new TypeError('grad(output, inputs, options): options must be an object (or left out), got 3.'),
    );
    expect(() => grad(y, [x], { createGraph: 1 as never })).toThrow(
      new TypeError('grad(output, inputs, options): createGraph must be true or false, got 1.'),
    );
    expect(() => grad(y, [x], { allowUnused: 'yes' as never })).toThrow(
      new TypeError('grad(output, inputs, options): allowUnused must be true or false, got "yes" (a string).'),
    );
  });

  test('a tensor gradOutput for a Value output; a gradOutput of the wrong shape; a many-element output without one', () => {
    expect(() => grad(y, [x], { gradOutput: tensor([1]) })).toThrow(
      new TypeError('grad(): gradOutput must be a number or a Value for a Value output.'),
    );
    const t = tensor([1, 2], { requiresGrad: true });
    const u = t.mul(3);
    expect(() => grad(u, [t], { gradOutput: tensor([1, 2, 3]) })).toThrow(
      new RangeError('grad(): gradOutput has shape [3], but the output has shape [2]; they must match.'),
    );
    expect(() => grad(u, [t])).toThrow(
      new Error(
        'grad(): the output has shape [2]; pass gradOutput (a Tensor of that shape), or reduce the output to one element.',
      ),
    );
  });

  test("a number gradOutput for a one-element float64 output is seeded in the output's dtype", () => {
    const t = tensor([1, 2], { requiresGrad: true, dtype: 'float64' });
    const [g] = grad(t.mul(t).sum(), [t], { gradOutput: 0.1 });
    // In float32 the seed would be 0.10000000149011612.
    expect([g.dtype, Array.from(g.data)]).toEqual(['float64', [0.2, 0.4]]);
  });
});

describe('gradcheck options and refusals', () => {
  const f = (x: Value) => x.mul(x);

  test('each option named when it is out of range or of the wrong kind', () => {
    const where = 'gradcheck(f, inputs, options)';
    expect(() => gradcheck(f, [1], { eps: 0 })).toThrow(
      new RangeError(`${where}: eps must be a finite number > 0, got 0.`),
    );
    expect(() => gradcheck(f, [1], { atol: -1 })).toThrow(
      new RangeError(`${where}: atol must be a finite number >= 0, got -1.`),
    );
    expect(() => gradcheck(f, [1], { rtol: NaN })).toThrow(
      new RangeError(`${where}: rtol must be a finite number >= 0, got NaN.`),
    );
    expect(() => gradcheck(f, [1], { secondOrder: 'yes' as never })).toThrow(
      new TypeError(`${where}: secondOrder must be true or false, got "yes" (a string).`),
    );
  });

  test('f returning a many-element tensor, or something else', () => {
    const t = tensor([1, 2, 3, 4], { dtype: 'float64' });
    expect(() => gradcheck((x: Value | Tensor) => (x as Tensor).reshape([2, 2]), [t])).toThrow(
      new TypeError('gradcheck: f must return a Value or a one-element Tensor, but returned a Tensor of shape [2, 2].'),
    );
    expect(() => gradcheck(() => 3 as never, [1])).toThrow(
      new TypeError('gradcheck: f must return a Value or a one-element Tensor, but returned 3.'),
    );
  });

  test('second order with an input f does not use: its derivatives are 0, not an error', () => {
    const result = gradcheck((x: Value, _unused: Value) => x.mul(x).mul(x), [1.5, 2], { secondOrder: true });
    expect(result.ok).toBe(true);
  });

  test('an infinite numeric derivative against a finite analytic one is the worst entry', () => {
    // A wrong backward on a forward that overflows beside x = 0.
    const blowUp = customOp({
      name: 'blowUp',
      forward: (x) => x * 1e308 * 1e308,
      backward: ({ grad: g }) => [g],
    });
    const result = gradcheck((x: Value) => blowUp(x), [0]);
    expect([result.ok, result.worst?.analytic, result.worst?.numeric]).toEqual([false, 1, Infinity]);
  });
});

describe('gradFn and valueAndGrad', () => {
  test('options that are not an object', () => {
    expect(() => gradFn((x: Value) => x, 3 as never)).toThrow(
      new TypeError('gradFn(f, options): options must be an object (or left out), got 3.'),
    );
  });

  test('the value of a Value argument that requires grad keeps its graph', () => {
    const x = new Value(3);
    const [value, g] = valueAndGrad((v: Value) => v.mul(v))(x) as [Value, Value];
    expect([value.data, value.requiresGrad, g.data]).toEqual([9, true, 6]);
    value.backward();
    expect(x.grad).toBe(6);
  });
});

describe('gradFn with a position listed twice', () => {
  test('each copy gets the whole gradient, for a number as for a Value that requires grad', () => {
    const square = (x: Value) => x.mul(x);
    expect(gradFn(square, { argnums: [0, 0] })(3)).toEqual([6, 6]);
    const [a, b] = gradFn(square, { argnums: [0, 0] })(new Value(3)) as Value[];
    expect([a.data, b.data]).toEqual([6, 6]);
    const t = tensor([1, 2], { dtype: 'float64' });
    const [ta, tb] = gradFn((x: Tensor) => x.mul(x).sum(), { argnums: [0, 0] })(t) as Tensor[];
    expect([Array.from(ta.data), Array.from(tb.data)]).toEqual([
      [2, 4],
      [2, 4],
    ]);
  });
});
