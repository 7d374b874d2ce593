import { Value, detectAnomaly, grad, noGrad, stopGradient } from '../../lib';

describe('grad()', () => {
  test('returns d output / d input without touching any .grad', () => {
    const x = new Value(3);
    const y = new Value(-2);
    const [dx, dy] = grad(x.mul(x).mul(y), [x, y]);
    expect([dx.data, dy.data]).toEqual([-12, 9]);
    expect([x.grad, y.grad]).toEqual([0, 0]);
    expect(dx.requiresGrad).toBe(false);
  });

  test('works for interior nodes: the gradient flowing into that node', () => {
    const x = new Value(2);
    const h = x.mul(3);
    const [dh, dx] = grad(h.mul(h), [h, x]);
    expect([dh.data, dx.data]).toEqual([12, 36]);
  });

  test('an unused input throws, unless allowUnused gives it a zero constant', () => {
    const x = new Value(2);
    const unrelated = new Value(5);
    expect(() => grad(x.mul(2), [unrelated])).toThrow(/input 0 is not used.*allowUnused/);
    const [zero] = grad(x.mul(2), [unrelated], { allowUnused: true });
    expect([zero.data, zero.requiresGrad]).toEqual([0, false]);
  });

  test('an input cut by stopGradient, detach_, freezing or noGrad counts as unused', () => {
    const x = new Value(2);
    const frozen = new Value(3).requiresGrad_(false);
    const viaStop = stopGradient(x).mul(3);
    const viaDetach = x.mul(3).detach_().mul(2).add(x);
    expect(() => grad(viaStop.add(x), [frozen])).toThrow(/not used/);
    const [g] = grad(viaDetach, [x]);
    expect(g.data).toBe(1);
    expect(() =>
      grad(
        noGrad(() => x.mul(2)),
        [x],
      ),
    ).toThrow(/does not require grad/);
  });

  test('gradOutput scales the result; a Value keeps its graph under createGraph', () => {
    const x = new Value(3);
    expect(grad(x.mul(x), [x], { gradOutput: 0.5 })[0].data).toBe(3);
    const v = new Value(2);
    const [g] = grad(x.mul(x), [x], { gradOutput: v, createGraph: true });
    expect(g.data).toBe(12);
    expect(grad(g, [v])[0].data).toBe(6);
  });

  test('rejects bad arguments with TypeErrors', () => {
    const x = new Value(1);
    expect(() => grad(3 as unknown as Value, [x])).toThrow(/output must be a Value/);
    expect(() => grad(x, x as unknown as Value[])).toThrow(/inputs must be an array/);
    expect(() => grad(x, [x, 2 as unknown as Value])).toThrow(/inputs\[1\] must be a Value/);
  });
});

describe('backward(g, { createGraph: true }) and gradValue', () => {
  test('fills .grad and a gradValue with its own graph (gradValue.data === grad)', () => {
    const x = new Value(3);
    x.pow(3).backward(1, { createGraph: true });
    expect(x.grad).toBe(27);
    expect(x.gradValue!.data).toBe(27);
    x.gradValue!.backward();
    expect(x.grad).toBe(27 + 18);
    expect(x.gradValue!.data).toBe(45);
  });

  test('accumulates across passes from the numeric .grad, and zeroGrad clears both', () => {
    const x = new Value(2);
    x.mul(x).backward();
    x.mul(x).backward(1, { createGraph: true });
    expect([x.grad, x.gradValue!.data]).toEqual([8, 8]);
    x.zeroGrad();
    expect([x.grad, x.gradValue]).toEqual([0, null]);
  });

  test('a first-order pass leaves gradValue null', () => {
    const x = new Value(2);
    x.mul(x).backward();
    expect(x.gradValue).toBeNull();
  });

  test('a hook may observe a createGraph pass but not replace its gradient', () => {
    const x = new Value(2);
    const seen: number[] = [];
    x.registerHook((g) => {
      seen.push(g);
    });
    x.mul(3).backward(1, { createGraph: true });
    expect(seen).toEqual([3]);
    const y = new Value(2);
    y.registerHook((g) => -g);
    expect(() => y.mul(3).backward(1, { createGraph: true })).toThrow(/cannot take part in a createGraph pass/);
    expect(y.grad).toBe(0);
  });
});

describe('detectAnomaly', () => {
  test('names the op and where it was created when a rule makes NaN from a finite gradient', () => {
    let message = '';
    detectAnomaly(() => {
      const x = new Value(0);
      const y = x.sqrt().mul(0);
      try {
        y.backward();
      } catch (error) {
        message = (error as Error).message;
      }
      expect(x.grad).toBe(0);
    });
    expect(message).toMatch(/backward rule of 'sqrt' produced NaN/);
    expect(message).toMatch(/grad\.spec\.ts:\d+/);
  });

  test('also checks createGraph passes, and is off outside', () => {
    detectAnomaly(() => {
      // log(-1) is NaN, but its derivative 1/x = -1 is finite: no anomaly, and the exact gradient.
      const x = new Value(-1);
      x.log().backward(1, { createGraph: true });
      expect([x.grad, x.gradValue!.data]).toEqual([-1, -1]);
      const z = new Value(0);
      expect(() => grad(z.log().mul(0), [z], { createGraph: true })).toThrow(/'log' produced/);
    });
    const z = new Value(0);
    z.sqrt().mul(0).backward();
    expect(z.grad).toBeNaN();
  });
});
