import { Value } from '../../lib';

describe('semantic 3: backward()', () => {
  test('runs each rule once after all consumers, accumulating along every path', () => {
    // The diamond: x = 2, a = 3x, b = x^2, L = a*b = 3x^3, dL/dx = 9x^2 = 36.
    const x = new Value(2);
    const a = x.mul(3);
    const b = x.pow(2);
    const L = a.mul(b);
    L.backward();
    expect([x.grad, a.grad, b.grad, L.grad]).toEqual([36, 4, 6, 1]);
  });

  test('two calls double every .grad exactly, interior nodes included (micrograd#53)', () => {
    const x = new Value(1.5);
    const h = x.tanh();
    const y = h.mul(h).add(x);
    y.backward();
    const once = [x.grad, h.grad, y.grad];
    y.backward();
    expect([x.grad, h.grad, y.grad]).toEqual(once.map((g) => 2 * g));
  });

  test('the seed gradient scales every gradient', () => {
    const x = new Value(3);
    x.mul(x).backward(0.5);
    expect(x.grad).toBe(3);
  });

  test('only nodes that require grad are visited; frozen leaves keep grad 0', () => {
    const w = new Value(2).requiresGrad_(false);
    const x = new Value(3);
    x.mul(w).backward();
    expect([x.grad, w.grad]).toEqual([2, 0]);
  });
});

describe('semantic 4: backward() on a value that needs no grad', () => {
  test('throws an Error saying so and how to fix it', () => {
    const c = new Value(3, { requiresGrad: false });
    expect(() => c.backward()).toThrow(/does not require grad.*requiresGrad_\(\)/);
    expect(() => c.mul(2).backward()).toThrow(Error);
  });

  test('rejects a non-number seed gradient', () => {
    expect(() => new Value(1).backward('1' as unknown as number)).toThrow(TypeError);
  });
});

describe('semantic 9: hooks', () => {
  test('see the gradient arriving in each pass and may replace it (x = 3, y = x^2, hook doubles, z = 3y: 36)', () => {
    const x = new Value(3);
    const y = x.pow(2);
    const seen: number[] = [];
    y.registerHook((g) => {
      seen.push(g);
      return 2 * g;
    });
    y.mul(3).backward();
    expect(seen).toEqual([3]);
    expect([y.grad, x.grad]).toEqual([6, 36]);
  });

  test('gradient reversal is g => -g', () => {
    const x = new Value(3);
    x.registerHook((g) => -g);
    x.mul(2).backward();
    expect(x.grad).toBe(-2);
  });

  test('a hook that returns nothing observes only; hooks run in order; removers work once', () => {
    const x = new Value(1);
    const calls: string[] = [];
    const removeA = x.registerHook((g) => {
      calls.push(`a${g}`);
    });
    x.registerHook((g) => {
      calls.push(`b${g}`);
      return g + 1;
    });
    x.mul(5).backward();
    expect(calls).toEqual(['a5', 'b5']);
    expect(x.grad).toBe(6);
    removeA();
    removeA();
    x.mul(5).backward();
    expect(calls).toEqual(['a5', 'b5', 'b5']);
  });

  test('a hook sees the whole gradient of the pass once, after all consumers', () => {
    const x = new Value(2);
    const y = x.mul(1);
    const seen: number[] = [];
    y.registerHook((g) => {
      seen.push(g);
    });
    y.mul(3).add(y.mul(4)).backward();
    expect(seen).toEqual([7]);
  });

  test('a hook that throws, or returns a non-number, leaves every .grad unchanged', () => {
    const x = new Value(2);
    const y = x.mul(x);
    y.registerHook(() => {
      throw new Error('boom');
    });
    const z = y.add(x);
    expect(() => z.backward()).toThrow('boom');
    expect([x.grad, y.grad, z.grad]).toEqual([0, 0, 0]);
    const w = new Value(1);
    w.registerHook(() => '2' as unknown as number);
    expect(() => w.mul(2).backward()).toThrow(/must return a number/);
    expect(w.grad).toBe(0);
    // The graph is still usable afterwards.
    const v = new Value(4);
    v.mul(v).backward();
    expect(v.grad).toBe(8);
  });

  test('hooks cannot go on values that need no grad, and must be functions', () => {
    expect(() => new Value(1, { requiresGrad: false }).registerHook((g) => g)).toThrow(/does not require grad/);
    expect(() => new Value(1).registerHook(3 as unknown as () => number)).toThrow(TypeError);
  });
});

describe('re-entrancy', () => {
  test('backward() from a hook on an overlapping graph throws a clear error, changing nothing', () => {
    const x = new Value(2);
    const y = x.mul(3);
    y.registerHook(() => {
      x.mul(1).backward();
    });
    expect(() => y.backward()).toThrow(/already in a backward pass/);
    expect(x.grad).toBe(0);
  });

  test('backward() from a hook on a disjoint graph works', () => {
    const other = new Value(5);
    const x = new Value(2);
    x.registerHook(() => {
      other.mul(other).backward();
    });
    x.mul(3).backward();
    expect([x.grad, other.grad]).toEqual([3, 10]);
  });

  test('detach_() from a hook during a pass is refused', () => {
    const x = new Value(2);
    const y = x.mul(3);
    y.registerHook(() => {
      y.detach_();
    });
    expect(() => y.backward()).toThrow(/backward pass under way/);
    expect(y.op).toBe('mul');
  });
});
