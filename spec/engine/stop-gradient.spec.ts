import { Value, stopGradient } from '../../lib';

describe('stopGradient', () => {
  test("TensorFlow's stop_gradient example: z = stop_gradient(x*x) * x at x = 3 gives dz/dx = 9", () => {
    const x = new Value(3);
    const z = stopGradient(x.mul(x)).mul(x);
    z.backward();
    expect(x.grad).toBe(9);
  });

  test('d/dx [x * sg(x)] = sg(x), not 2x', () => {
    const x = new Value(2);
    x.mul(stopGradient(x)).backward();
    expect(x.grad).toBe(2);
  });

  test('x^2 * sg(x) at x = 2 has derivative 2x * x = 8', () => {
    const x = new Value(2);
    x.pow(2).mul(stopGradient(x)).backward();
    expect(x.grad).toBe(8);
  });

  // x = 2, a = 3x = 6, b = x^2 = 4, L = a*b, dL/dx = 3b + a*2x = 12 + 24 = 36. With sg(a) only
  // the path through b remains: a * db/dx = a * 2x = 6 * 4 = 24; with sg(b) only the path
  // through a: b * da/dx = 3b = 4 * 3 = 12. (Easy to swap: sg(a) keeps b's term, not a's.)
  test('selective stop-gradient in a diamond: 36, 24 with sg(a), 12 with sg(b)', () => {
    const run = (which: 'none' | 'a' | 'b') => {
      const x = new Value(2);
      let a = x.mul(3);
      let b = x.pow(2);
      if (which === 'a') a = stopGradient(a);
      if (which === 'b') b = stopGradient(b);
      a.mul(b).backward();
      return x.grad;
    };
    expect([run('none'), run('a'), run('b')]).toEqual([36, 24, 12]);
  });

  test('semi-gradient TD(0): the bootstrapped target moves nothing', () => {
    const w = new Value(0.5);
    const value = (s: number) => w.mul(s);
    const [s, next, reward, gamma] = [1, 2, 1, 0.9];
    const target = stopGradient(value(next).mul(gamma).add(reward));
    const tdError = value(s).sub(target);
    tdError.pow(2).mul(0.5).backward();
    // d/dw 0.5 (w s - target)^2 = (w s - target) * s with the target constant: (0.5 - 1.9) * 1.
    expect(w.grad).toBeCloseTo(-1.4, 15);
  });

  test('wraps a number as a constant and rejects anything else', () => {
    const c = stopGradient(3);
    expect([c.data, c.requiresGrad, c.isLeaf]).toEqual([3, false, true]);
    expect(() => stopGradient('3' as unknown as number)).toThrow(
      /stopGradient\(v\): expected a Value, a Tensor or a number/,
    );
  });

  test('leaves the original graph intact', () => {
    const x = new Value(3);
    const y = x.mul(x);
    stopGradient(y);
    y.backward();
    expect(x.grad).toBe(6);
  });
});
