/**
 * The graph core's refusals and anomaly reports, word for word (each names the call, what was
 * expected and what was given), and what they leave unchanged.
 */
import { Value, detectAnomaly, enableGrad, noGrad, stopGradient, tensor } from '../../lib';
import { describeForError } from '../../lib/engine/errors';

describe('new Value(data, options)', () => {
  test('names a bad data argument and each bad option', () => {
    expect(() => new Value('3' as never)).toThrow(
      new TypeError(
        'new Value(data): expected a number, got "3" (a string). Convert it first, e.g. new Value(Number(s)).',
      ),
    );
    expect(() => new Value(1, null as never)).toThrow(
      new TypeError('new Value(data, options): options must be an object, got null.'),
    );
    expect(() => new Value(1, 7 as never)).toThrow(
      new TypeError('new Value(data, options): options must be an object, got 7.'),
    );
    expect(() => new Value(1, { requiresGrad: 1 as never })).toThrow(
      new TypeError('new Value(data, { requiresGrad }): expected a boolean, got 1.'),
    );
    expect(() => new Value(1, { label: 5 as never })).toThrow(
      new TypeError('new Value(data, { label }): expected a string, got 5.'),
    );
  });

  test('options that say nothing change nothing', () => {
    const a = new Value(1, {});
    const b = new Value(1, { label: '', requiresGrad: true });
    const c = new Value(1, { requiresGrad: undefined, label: undefined });
    for (const v of [a, b, c]) {
      expect([v.requiresGrad, v.label, v._extras, String(v)]).toEqual([true, '', null, 'Value(data=1, grad=0)']);
    }
    const d = new Value(2, { requiresGrad: false, label: 'd' });
    expect([d.requiresGrad, d.label, String(d)]).toEqual([
      false,
      'd',
      'Value(data=2, grad=0, label="d", requiresGrad=false)',
    ]);
  });

  test('label must be a string', () => {
    const v = new Value(1);
    expect(() => {
      v.label = 3 as never;
    }).toThrow(new TypeError('Value.label: expected a string, got 3.'));
    expect(v.label).toBe('');
  });
});

describe('stopGradient', () => {
  test('a number becomes a stopped constant; anything else is refused by name', () => {
    const c = stopGradient(4);
    expect([c.data, c.requiresGrad, c.isLeaf]).toEqual([4, false, true]);
    expect(() => stopGradient('4' as never)).toThrow(
      new TypeError('stopGradient(v): expected a Value, a Tensor or a number, got "4" (a string).'),
    );
    expect(() => stopGradient({ _storage: 1, shape: [1], detach: 3 } as never)).toThrow(/got an object \(Object\)/);
    expect(() => stopGradient(null as never)).toThrow(
      new TypeError('stopGradient(v): expected a Value, a Tensor or a number, got null.'),
    );
    // A Tensor is recognised by its storage, its shape and its detach method, all three.
    const detach = () => 'detached';
    expect(() => stopGradient({ shape: [1], detach } as never)).toThrow(TypeError);
    expect(() => stopGradient({ _storage: 1, detach } as never)).toThrow(TypeError);
    expect(stopGradient({ _storage: 1, shape: [1], detach } as never)).toBe('detached');
    const t = tensor([1, 2], { requiresGrad: true });
    const s = stopGradient(t);
    expect([s.requiresGrad, Array.from(s.data as ArrayLike<number>)]).toEqual([false, [1, 2]]);
  });
});

describe('scopes', () => {
  test('noGrad, enableGrad and detectAnomaly name a non-function', () => {
    for (const [name, scope] of [
      ['noGrad', noGrad],
      ['enableGrad', enableGrad],
      ['detectAnomaly', detectAnomaly],
    ] as [string, (fn: () => unknown) => unknown][]) {
      expect(() => scope(3 as never)).toThrow(
        new TypeError(`${name}(fn): expected a function, got 3. Pass a callback: ${name}(() => ...).`),
      );
    }
  });

  test('an async function, or a function returning a thenable, is refused and the mode restored', async () => {
    const message =
      'noGrad(fn): fn is asynchronous (it returned a Promise). The mode noGrad sets is synchronous: code after an ' +
      '`await` inside fn runs after noGrad has restored it, so it would silently record the wrong graph. Wrap the ' +
      'synchronous computation only, e.g. `const y = noGrad(() => model.call(x)); await save(y);`';
    expect(() => noGrad(async () => await Promise.resolve(1))).toThrow(new TypeError(message));
    expect(() => noGrad(async function* () {})).toThrow(new TypeError(message));
    let settled = false;
    const rejected = Promise.reject(new Error('late'));
    expect(() =>
      noGrad(() => {
        rejected.catch(() => (settled = true));
        return rejected;
      }),
    ).toThrow(new TypeError(message));
    const thenable = { then: () => undefined };
    expect(() => noGrad(() => thenable)).toThrow(TypeError);
    const callable = Object.assign(() => 1, { then: () => undefined });
    expect(() => noGrad(() => callable)).toThrow(TypeError);
    // Objects and functions without a callable `then`, and null, are ordinary results.
    const plain = { then: 3 };
    expect(noGrad(() => plain)).toBe(plain);
    expect(noGrad(() => null)).toBeNull();
    expect(noGrad(() => 'x')).toBe('x');
    await Promise.resolve();
    expect(settled).toBe(true);
    expect(new Value(1).mul(2).requiresGrad).toBe(true);
  });

  test('each scope restores the mode it found, even when fn throws', () => {
    expect(() =>
      noGrad(() => {
        throw new Error('inside');
      }),
    ).toThrow('inside');
    expect(new Value(1).mul(2).requiresGrad).toBe(true);
    const inner = noGrad(() => [enableGrad(() => new Value(1).mul(2)), new Value(1).mul(2)]);
    expect(inner.map((v) => v.requiresGrad)).toEqual([true, false]);
    expect(() =>
      detectAnomaly(() => {
        throw new Error('x');
      }),
    ).toThrow('x');
    const y = new Value(0).sqrt();
    y.backward(); // no anomaly check outside detectAnomaly
    expect(y.data).toBe(0);
  });
});

describe('gradient hooks', () => {
  test('a createGraph pass refuses a hook that replaces a scalar gradient, by name', () => {
    const x = new Value(2);
    const h = x.mul(3);
    h.registerHook((g) => g * 2);
    expect(() => h.mul(5).backward(1, { createGraph: true })).toThrow(
      new Error(
        'gradient hook: a hook that replaces the gradient cannot take part in a createGraph pass, because the number ' +
          'it returns carries no graph. Use gradientReversal(x, lambda) or a customOp to change a gradient differentiably.',
      ),
    );
    expect(x.grad).toBe(0);
  });

  test('in a createGraph pass a scalar hook sees the number, and may return it or nothing', () => {
    const x = new Value(2);
    const h = x.mul(3);
    const seen: unknown[] = [];
    h.registerHook((g) => {
      seen.push(g);
      return g;
    });
    h.registerHook((g) => {
      seen.push(g);
    });
    h.mul(5).backward(1, { createGraph: true });
    expect(seen).toEqual([5, 5]);
    expect(x.grad).toBe(15);
    expect(x.gradValue!.data).toBe(15);
  });

  test('hooks run in order, each seeing what the previous returned', () => {
    const x = new Value(2);
    const h = x.mul(3);
    const seen: number[] = [];
    h.registerHook((g) => {
      seen.push(g);
      return g + 1;
    });
    h.registerHook((g) => {
      seen.push(g);
    });
    h.registerHook((g) => {
      seen.push(g);
      return g * 10;
    });
    h.mul(5).backward();
    expect(seen).toEqual([5, 6, 6]);
    expect([h.grad, x.grad]).toEqual([60, 180]);
  });

  test('detectAnomaly names the hook of an unlabelled op node and of a leaf', () => {
    const x = new Value(2);
    const h = detectAnomaly(() => x.mul(3));
    h.registerHook(() => Infinity);
    expect(() => detectAnomaly(() => h.mul(2).backward())).toThrow(
      /^detectAnomaly: a gradient hook on a 'mul' node \(data=6\) returned Infinity for the finite gradient 2\. The node was created at .*refusals\.spec\.ts.*\. Check what that hook computes\.$/,
    );
    const leaf = new Value(4);
    leaf.registerHook(() => NaN);
    expect(() => detectAnomaly(() => leaf.mul(2).backward())).toThrow(
      'detectAnomaly: a gradient hook on a leaf (data=4) returned NaN for the finite gradient 2. The node was created ' +
        'at (created outside detectAnomaly, so its place is unknown). Check what that hook computes.',
    );
    expect(leaf.grad).toBe(0);
  });

  test('detectAnomaly names a rule that produced a non-finite gradient, with its place', () => {
    const x = new Value(0);
    const y = x.sqrt().mul(2);
    expect(() => detectAnomaly(() => y.backward())).toThrow(
      "detectAnomaly: the backward rule of 'sqrt' produced Infinity for one of its inputs from a finite gradient. " +
        "The 'sqrt' node (data=0) was created at (created outside detectAnomaly, so its place is unknown). " +
        'Look for a division by zero, log or sqrt of 0 or of a negative number, or an overflow there.',
    );
    const t = tensor([0, 4], { requiresGrad: true, label: 't' });
    const r = detectAnomaly(() => t.sqrt());
    expect(() => detectAnomaly(() => r.sum().backward())).toThrow(
      /^detectAnomaly: the backward rule of 'sqrt' produced a non-finite gradient for one of its inputs \(labelled "t"\) from a finite gradient\. The 'sqrt' node was created at .*refusals\.spec\.ts/,
    );
    expect(t.grad).toBeNull();
  });
});

describe('a Value from another copy of stopgrad', () => {
  test('is named as such in errors, with the fix', () => {
    class OtherValue {
      data = 1;
    }
    Object.defineProperty(OtherValue, Symbol.for('stopgrad.Value'), { value: Object.freeze({}) });
    const other = new OtherValue();
    const text =
      'a Value from another copy of stopgrad (two copies of the package are loaded; make every import resolve to one, e.g. with `npm dedupe`)';
    expect(describeForError(other)).toBe(text);
    expect(() => new Value(1).add(other as never)).toThrow(`add(): expected a Value or a number, got ${text}.`);
    // An unbranded class is an ordinary object; a subclass of Value is a Value.
    class Plain {}
    class Sub extends Value {}
    expect([describeForError(new Plain()), describeForError(new Sub(1))]).toEqual(['an object (Plain)', 'a Value']);
  });
});
