import { Value, enableGrad, isGradEnabled, noGrad } from '../../lib';

describe('semantic 2: what an op records', () => {
  test('with grad mode on and an input that requires grad: parents and a rule', () => {
    const x = new Value(2);
    const y = x.mul(3);
    expect([y.requiresGrad, y.isLeaf, y.op, y.parents]).toEqual([true, false, 'mul', [x]]);
  });

  test('when no input requires grad: a leaf with no parents that needs no grad', () => {
    const c = new Value(2, { requiresGrad: false });
    const y = c.mul(new Value(3, { requiresGrad: false })).exp();
    expect([y.requiresGrad, y.isLeaf, y.op, y.parents]).toEqual([false, true, '', []]);
  });

  test('under noGrad: a leaf with no parents that needs no grad, even from inputs that do', () => {
    const x = new Value(2);
    const y = noGrad(() => x.mul(3).add(x));
    expect([y.data, y.requiresGrad, y.isLeaf, y.parents]).toEqual([8, false, true, []]);
  });
});

describe('semantic 8: noGrad and enableGrad', () => {
  test('set the mode for the extent of fn and return its result', () => {
    expect(isGradEnabled()).toBe(true);
    expect(noGrad(() => isGradEnabled())).toBe(false);
    expect(noGrad(() => enableGrad(() => isGradEnabled()))).toBe(true);
    expect(noGrad(() => enableGrad(() => new Value(1).mul(2)).requiresGrad)).toBe(true);
    expect(isGradEnabled()).toBe(true);
  });

  test('restore the mode even when fn throws', () => {
    expect(() =>
      noGrad(() => {
        throw new Error('inside');
      }),
    ).toThrow('inside');
    expect(isGradEnabled()).toBe(true);
    noGrad(() => {
      expect(() =>
        enableGrad(() => {
          throw new Error('inner');
        }),
      ).toThrow('inner');
      expect(isGradEnabled()).toBe(false);
    });
  });

  test('refuse an async function before running it, saying why', () => {
    let ran = false;
    const asyncFn = async () => {
      ran = true;
      await Promise.resolve();
    };
    expect(() => noGrad(asyncFn)).toThrow(/asynchronous.*await/);
    expect(ran).toBe(false);
    expect(isGradEnabled()).toBe(true);
  });

  test('refuse a function that returns a promise, restoring the mode', async () => {
    expect(() => noGrad(() => Promise.resolve(1))).toThrow(/returned a Promise/);
    expect(() => enableGrad(() => Promise.reject(new Error('x')))).toThrow(TypeError);
    expect(isGradEnabled()).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 0)); // no unhandled rejection
  });

  test('reject a non-function', () => {
    expect(() => noGrad(3 as unknown as () => number)).toThrow(/noGrad\(fn\): expected a function, got 3/);
  });
});
