import { Value, grad, gradFn, stopGradient } from '../../lib';

/** The first n derivatives of f at x, each by differentiating the previous one's graph. */
function derivatives(f: (x: Value) => Value, x0: number, n: number): number[] {
  const x = new Value(x0);
  let current = f(x);
  const result: number[] = [];
  for (let k = 0; k < n; k++) {
    [current] = grad(current, [x], { createGraph: true, allowUnused: true });
    result.push(current.data);
  }
  return result;
}

describe('derivatives of any order, exact', () => {
  test('polynomial 2x^4 - 3x^2 + x at x = 1.5: 8x^3 - 6x + 1, 24x^2 - 6, 48x, 48, 0', () => {
    const f = (x: Value) => x.pow(4).mul(2).sub(x.pow(2).mul(3)).add(x);
    expect(derivatives(f, 1.5, 5)).toEqual([8 * 1.5 ** 3 - 6 * 1.5 + 1, 24 * 1.5 ** 2 - 6, 48 * 1.5, 48, 0]);
  });

  test('x^3 by mul at x = 2: 12, 12, 6', () => {
    expect(derivatives((x) => x.mul(x).mul(x), 2, 3)).toEqual([12, 12, 6]);
  });

  test('exp: every derivative is e^x', () => {
    expect(derivatives((x) => x.exp(), 0.7, 4)).toEqual([Math.exp(0.7), Math.exp(0.7), Math.exp(0.7), Math.exp(0.7)]);
  });

  test('tanh: 1 - t^2, -2t(1 - t^2), (1 - t^2)(6t^2 - 2)', () => {
    const t = Math.tanh(0.4);
    const [d1, d2, d3] = derivatives((x) => x.tanh(), 0.4, 3);
    expect(d1).toBeCloseTo(1 - t * t, 14);
    expect(d2).toBeCloseTo(-2 * t * (1 - t * t), 14);
    expect(d3).toBeCloseTo((1 - t * t) * (6 * t * t - 2), 14);
  });

  test('sigmoid: s(1 - s), s(1 - s)(1 - 2s), s(1 - s)(1 - 6s + 6s^2)', () => {
    const s = 1 / (1 + Math.exp(-0.3));
    const [d1, d2, d3] = derivatives((x) => x.sigmoid(), 0.3, 3);
    expect(d1).toBeCloseTo(s * (1 - s), 15);
    expect(d2).toBeCloseTo(s * (1 - s) * (1 - 2 * s), 15);
    expect(d3).toBeCloseTo(s * (1 - s) * (1 - 6 * s + 6 * s * s), 15);
  });

  test('mixed partials of f(x, y) = x^2 y^3 agree both ways: 6 x y^2', () => {
    const x = new Value(2);
    const y = new Value(3);
    const f = x.pow(2).mul(y.pow(3));
    const [fx, fy] = grad(f, [x, y], { createGraph: true });
    expect([fx.data, fy.data]).toEqual([2 * 2 * 27, 3 * 4 * 9]);
    const [fxx, fxy] = grad(fx, [x, y]);
    const [fyx, fyy] = grad(fy, [x, y]);
    expect([fxx.data, fxy.data, fyx.data, fyy.data]).toEqual([2 * 27, 6 * 2 * 9, 6 * 2 * 9, 6 * 4 * 3]);
  });
});

describe('stop-gradient holds at every order', () => {
  test('d/dx [sg(x) * x] = sg(x), and its derivative is 0', () => {
    expect(derivatives((x) => stopGradient(x).mul(x), 2, 2)).toEqual([2, 0]);
  });

  test('x^2 * sg(x): first 2x sg(x) = 8, second 2 sg(x) = 4, third 0', () => {
    expect(derivatives((x) => x.pow(2).mul(stopGradient(x)), 2, 3)).toEqual([8, 4, 0]);
  });

  test("through detach_: y = x^2 detached in place; f = y x^3 has f'' = 6 y x", () => {
    const f = (x: Value) => {
      const y = x.pow(2);
      y.detach_();
      return y.mul(x.pow(3));
    };
    expect(derivatives(f, 2, 3)).toEqual([4 * 3 * 4, 4 * 6 * 2, 4 * 6]);
  });

  test('a frozen leaf gets no derivative of any order', () => {
    const w = new Value(3).requiresGrad_(false);
    const x = new Value(2);
    const [dx] = grad(w.mul(x).mul(x), [x], { createGraph: true });
    expect(dx.data).toBe(12);
    expect(() => grad(dx, [w])).toThrow(/not used/);
    expect(grad(dx, [x])[0].data).toBe(6);
  });
});

describe('MAML on a toy problem, against a hand-derived value', () => {
  // Model y = w x. Inner task (x=2, t=3), outer task (x=1, t=2), inner lr 0.1, w = 0.5.
  // Inner: dL/dw = 2(wx - t)x = -8, so w' = 1.3. Outer: dL'/dw' = 2(w' - 2) = -1.4.
  // dw'/dw = 1 - 0.1 * d2L/dw2 = 1 - 0.1 * 2 * 4 = 0.2: second-order MAML gives -1.4 * 0.2 = -0.28;
  // first-order MAML (the inner gradient stop-gradient-ed) gives -1.4.
  function metaGradient(firstOrder: boolean): number {
    const w = new Value(0.5);
    const inner = w.mul(2).sub(3).pow(2);
    let [g] = grad(inner, [w], { createGraph: true });
    if (firstOrder) g = stopGradient(g);
    const adapted = w.sub(g.mul(0.1));
    const outer = adapted.mul(1).sub(2).pow(2);
    outer.backward();
    return w.grad;
  }

  test('second order: -0.28', () => expect(metaGradient(false)).toBeCloseTo(-0.28, 14));
  test('first order: -1.4', () => expect(metaGradient(true)).toBeCloseTo(-1.4, 14));
});

describe('gradFn composes', () => {
  test('third derivative of sin is -cos', () => {
    const third = gradFn(gradFn(gradFn((x: Value) => x.sin())));
    expect(third(0.5)).toBeCloseTo(-Math.cos(0.5), 14);
  });
});
