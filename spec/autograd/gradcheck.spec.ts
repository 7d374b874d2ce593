import { Value, customOp, gradcheck } from '../../lib';

describe('gradcheck', () => {
  test('passes correct gradients, first and second order, with a tiny maxError', () => {
    const result = gradcheck((x, y) => x.mul(y).tanh().add(x.exp()), [0.3, -1.2], { secondOrder: true });
    expect(result.ok).toBe(true);
    expect(result.maxError).toBeLessThan(1e-7);
    expect(result.worst).not.toBeNull();
  });

  test('catches a wrong first-order rule and names the input', () => {
    const wrong = customOp({
      name: 'wrongSquare',
      forward: (x) => x * x,
      backward: ({ inputs: [x], grad: g }) => [g.mul(x)],
    });
    const result = gradcheck((a, b) => a.add(wrong(b)), [1, 3]);
    expect(result.ok).toBe(false);
    expect(result.worst).toMatchObject({ input: 1, analytic: 3, order: 1 });
    expect(result.worst!.numeric).toBeCloseTo(6, 5);
    expect(result.maxError).toBeCloseTo(3, 5);
  });

  test('catches a rule that is right at first order but not differentiable correctly at second', () => {
    // Correct first derivative 2x, but written with a constant, so its own derivative is 0, not 2.
    const flat = customOp({
      name: 'flat',
      forward: (x) => x * x,
      backward: ({ inputs: [x], grad: g }) => [g.mul(2 * x.data)],
    });
    expect(gradcheck((x) => flat(x), [1.5])).toMatchObject({ ok: true });
    const second = gradcheck((x) => flat(x), [1.5], { secondOrder: true });
    expect(second.ok).toBe(false);
    expect(second.worst).toMatchObject({ input: 0, of: 0, order: 2, analytic: 0 });
    expect(second.worst!.numeric).toBeCloseTo(2, 5);
  });

  test('a NaN gradient never passes', () => {
    expect(gradcheck((x) => x.sqrt(), [0]).ok).toBe(false);
  });

  test('rejects bad arguments', () => {
    expect(() => gradcheck((x) => x, ['1' as unknown as number])).toThrow(/inputs must be an array of numbers/);
    expect(() => gradcheck((() => 3) as unknown as (x: Value) => Value, [1])).toThrow(/f must return a Value/);
  });
});
