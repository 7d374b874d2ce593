/**
 * The edges of the autograd API that the mutation pass found untested: what custom ops see,
 * which gradients are constants, every refusal's exact message, and how gradcheck ranks errors.
 */
import { Value, customOp, gradFn, gradcheck, gradientReversal, grad, straightThrough, valueAndGrad } from '../../lib';

describe('customOp', () => {
  test('a plain backward pass gives the rule a constant gradient and constant inputs for numbers', () => {
    const seen: boolean[] = [];
    const scale = customOp({
      name: 'scale',
      forward: (x, k) => x * k,
      backward: ({ inputs, grad: g }) => {
        seen.push(g.requiresGrad, inputs[1].requiresGrad, inputs[0].requiresGrad);
        return [g.mul(inputs[1]), 0];
      },
    });
    const x = new Value(2);
    scale(x, 3).backward();
    expect(x.grad).toBe(3);
    expect(seen).toEqual([false, false, true]);
  });

  test('a number returned by backward is a constant gradient under createGraph', () => {
    const twice = customOp({ name: 'twice', forward: (x) => 2 * x, backward: ({ grad: g }) => [2 * g.data] });
    const x = new Value(5);
    const [g] = grad(twice(x), [x], { createGraph: true });
    expect([g.data, g.requiresGrad, g.isLeaf]).toEqual([2, false, true]);
  });

  test('refusals name the op and what was wrong', () => {
    const bad = customOp({ name: 'bad', forward: (x) => x, backward: () => ['1' as unknown as number] });
    expect(() => bad(new Value(1)).backward()).toThrow(TypeError);
    expect(() => bad(new Value(1)).backward()).toThrow(
      `customOp 'bad': backward's gradient 0 must be a number or a Value, got "1" (a string).`,
    );
    expect(() => grad(bad(new Value(1)), [new Value(1)], { createGraph: true, allowUnused: true })).toThrow(
      /backward's gradient 0 must be a number or a Value/,
    );
    expect(() => customOp(null as never)).toThrow('customOp(spec): spec must be an object, got null.');
    expect(() => customOp(7 as never)).toThrow('customOp(spec): spec must be an object, got 7.');
    expect(() => customOp({ name: '', forward: (x) => x, backward: () => [] })).toThrow(
      'customOp(spec): spec.name must be a non-empty string.',
    );
    expect(() => customOp({ name: 7 as never, forward: (x) => x, backward: () => [] })).toThrow(
      'customOp(spec): spec.name must be a non-empty string.',
    );
    expect(() => customOp({ name: 'f', forward: 1 as never, backward: () => [] })).toThrow(
      "customOp 'f': spec.forward must be a function.",
    );
    expect(() => customOp({ name: 'f', forward: (x) => x, backward: null as never })).toThrow(
      "customOp 'f': spec.backward must be a function.",
    );
    expect(() => gradientReversal(3 as never)).toThrow('gradientReversal(x, lambda): x must be a Value, got 3.');
    expect(() => gradientReversal(new Value(1), NaN)).toThrow(
      'gradientReversal(x, lambda): lambda must be a finite number, got NaN.',
    );
    expect(() => gradientReversal(new Value(1), '1' as never)).toThrow(
      /lambda must be a finite number, got "1" \(a string\)/,
    );
    expect(() => straightThrough(null as never, Math.round)).toThrow(
      'straightThrough(x, f): x must be a Value, got null.',
    );
    expect(() => straightThrough(new Value(1), 1 as never)).toThrow(
      'straightThrough(x, f): f must be a function of a number, got 1.',
    );
  });
});

describe('gradFn and valueAndGrad', () => {
  test.each([[[]], [[0, -1]], [1.5], [[0.5]], ['0']])('argnums %j is refused', (argnums) => {
    const make = () => gradFn((x: Value) => x, { argnums: argnums as never });
    expect(make).toThrow(TypeError);
    expect(make).toThrow(
      /^gradFn\(f, \{ argnums \}\): argnums must be a non-negative integer or a non-empty list of them, got /,
    );
  });

  test('an argnum past the arguments is a RangeError naming both counts', () => {
    const f = gradFn((x: number, y: Value) => y.mul(x), { argnums: 1 });
    expect(() => f(2)).toThrow(RangeError);
    expect(() => f(2)).toThrow('gradFn: argnums asks for argument 1, but only 1 were passed.');
    expect(f(2, 5)).toBe(2);
  });

  test('one Value argument that requires grad makes every result a Value with a graph', () => {
    const x = new Value(2);
    const [dx, dy] = gradFn((a: Value, b: Value) => a.mul(b).mul(a), { argnums: [0, 1] })(x, 3) as unknown as Value[];
    expect([dx.data, dy.data]).toEqual([12, 4]);
    expect([dx.requiresGrad, dy.requiresGrad]).toEqual([true, true]);
    dy.backward(); // d(x^2)/dx = 2x
    expect(x.grad).toBe(4);
  });

  test('f returning a number: the value is a constant and the gradient 0', () => {
    const x = new Value(1);
    const [value, gradient] = valueAndGrad(() => 5)(x) as unknown as [Value, Value];
    expect([value.data, value.requiresGrad, gradient.data, gradient.requiresGrad]).toEqual([5, false, 0, false]);
    expect(valueAndGrad(() => 5)(1)).toEqual([5, 0]);
  });
});

describe('grad', () => {
  test('the exact refusals', () => {
    const c = new Value(1, { requiresGrad: false });
    expect(() => grad(c.mul(2), [c])).toThrow(
      'grad(): the output does not require grad, so it depends on none of the inputs along a path gradient can take ' +
        '(it is a constant, detached, or computed under noGrad()). Pass { allowUnused: true } to get zero gradients.',
    );
    const x = new Value(1);
    const y = new Value(2);
    for (const createGraph of [false, true]) {
      expect(() => grad(x.mul(3), [x, y], { createGraph })).toThrow(
        'grad(): input 1 is not used to compute the output along any path gradient can take ' +
          '(it may be detached, frozen, computed under noGrad(), or behind a stopGradient). ' +
          'Pass { allowUnused: true } to get a zero gradient for it; explainGrad(output, input) says where the path is cut.',
      );
      expect(grad(x.mul(3), [x, y], { createGraph, allowUnused: true }).map((g) => g.data)).toEqual([3, 0]);
    }
    expect(() => grad(x.mul(3), [x], { gradOutput: '1' as never })).toThrow(
      'grad(): gradOutput must be a number, a Value or a Tensor, got "1" (a string).',
    );
  });

  test('a number gradOutput is a constant seed: the gradient of a linear function has no graph', () => {
    const x = new Value(4);
    const [g] = grad(x.mul(3), [x], { createGraph: true, gradOutput: 2 });
    expect([g.data, g.requiresGrad]).toEqual([6, false]);
    const seed = new Value(2);
    const [h] = grad(x.mul(3), [x], { createGraph: true, gradOutput: seed });
    expect([h.data, h.requiresGrad]).toEqual([6, true]);
  });

  test('inside a hook of another pass, an input of that pass is not "reached" by an unrelated graph', () => {
    const outer = new Value(2);
    const other = new Value(5);
    let inner: number[] = [];
    const y = outer.mul(outer);
    y.registerHook(() => {
      inner = grad(other.mul(7), [other, outer], { allowUnused: true }).map((g) => g.data);
    });
    y.mul(3).backward();
    expect(inner).toEqual([7, 0]);
    expect(outer.grad).toBe(12);
  });
});

describe('gradcheck ranks its entries', () => {
  // x + y with a rule that gives y a gradient of 5 instead of 1.
  const skewed = customOp({ name: 'skewed', forward: (x, y) => x + y, backward: ({ grad: g }) => [g, g.mul(5)] });

  test('the worst entry is the one with the largest excess, and maxError the largest error', () => {
    const result = gradcheck((x, y) => skewed(x, y), [1, 2]);
    expect(result.ok).toBe(false);
    expect(result.worst).toMatchObject({ input: 1, analytic: 5 });
    expect(result.maxError).toBeCloseTo(4, 6);
    const flipped = gradcheck((x, y) => skewed(y, x), [1, 2]);
    expect(flipped.worst).toMatchObject({ input: 0, analytic: 5 });
    expect(flipped.maxError).toBeCloseTo(4, 6);
  });

  test('on a tie the first entry is the worst', () => {
    const result = gradcheck((x, y) => x.add(y), [1, 2]);
    expect(result.worst!.input).toBe(0);
  });

  test('the tolerance is atol + rtol * |numeric|, and an error equal to it passes', () => {
    const slightly = customOp({
      name: 'slightly',
      forward: (x) => 100 * x,
      backward: ({ grad: g }) => [g.mul(100.05)],
    });
    expect(gradcheck((x) => slightly(x), [1])).toMatchObject({ ok: true });
    expect(gradcheck((x) => slightly(x), [1], { rtol: 1e-4 })).toMatchObject({ ok: false });
    // With eps a power of two, the central difference of 2x at 1 is exactly 2.
    const off = customOp({ name: 'off', forward: (x) => 2 * x, backward: ({ grad: g }) => [g.mul(2.5)] });
    expect(gradcheck((x) => off(x), [1], { eps: 2 ** -10, atol: 0.5, rtol: 0 })).toMatchObject({
      ok: true,
      maxError: 0.5,
    });
    expect(gradcheck((x) => off(x), [1], { eps: 2 ** -10, atol: 0.4999, rtol: 0 })).toMatchObject({ ok: false });
  });

  test('a NaN error is still reported as the worst entry', () => {
    const result = gradcheck((x) => x.sqrt(), [0]);
    expect(result.ok).toBe(false);
    expect(result.worst).toMatchObject({ input: 0, analytic: Infinity });
  });

  test('inputs the output does not use get a zero gradient, checked like the rest', () => {
    // Both errors are about 0; the unused input has the smaller tolerance (atol only), so the larger excess.
    expect(gradcheck((x, _y) => x.mul(2), [1, 2])).toMatchObject({
      ok: true,
      worst: { input: 1, analytic: 0, numeric: 0 },
    });
    expect(gradcheck((x, _y) => x.mul(2), [1, 2], { secondOrder: true })).toMatchObject({ ok: true });
  });

  test('second order uses the graph of the first derivative: x^3 passes, at 6x', () => {
    const result = gradcheck((x) => x.pow(3), [0.7], { secondOrder: true });
    expect(result).toMatchObject({ ok: true });
    expect(result.maxError).toBeLessThan(1e-5);
  });

  test('refusals', () => {
    expect(() => gradcheck(null as never, [1])).toThrow('gradcheck(f, inputs): f must be a function, got null.');
    expect(() => gradcheck((x) => x, [1, '2' as never])).toThrow(
      'gradcheck(f, inputs): inputs must be an array of numbers and Tensors, got an array of length 2.',
    );
  });
});
