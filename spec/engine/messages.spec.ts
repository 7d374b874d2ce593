/** How numbers and bad arguments are written in printed Values, drawings and error messages. */
import { Value } from '../../lib';
import { describeForError } from '../../lib/engine/errors';
import { describeValue, formatNumber } from '../../lib/engine/format';

describe('formatNumber', () => {
  test.each([
    [0, undefined, '0'],
    [-0, undefined, '-0'],
    [42, undefined, '42'],
    [-7, undefined, '-7'],
    [NaN, undefined, 'NaN'],
    [Infinity, undefined, 'Infinity'],
    [-Infinity, undefined, '-Infinity'],
    [0.1 + 0.2, undefined, '0.3'],
    [1 / 3, 4, '0.3333'],
    [2 / 3, 2, '0.67'],
    [1.23456789e-7, 4, '1.235e-7'],
    [1e-4, undefined, '0.0001'],
    [9.99e-5, 3, '9.99e-5'],
    [1e-5, undefined, '1e-5'],
    [-2.5e-300, undefined, '-2.5e-300'],
    [123456789.123, 4, '123500000'],
    [1e15, undefined, '1e+15'],
    [999999999999999, undefined, '999999999999999'],
    [1.5e20, 3, '1.5e+20'],
    [-1.23456e16, 3, '-1.23e+16'],
  ])('formatNumber(%p, %p) is %p', (x, digits, text) => {
    expect(formatNumber(x, digits)).toBe(text);
  });
});

test('describeValue shows the label and requiresGrad only when they say something', () => {
  expect(describeValue(9, 3, '', true)).toBe('Value(data=9, grad=3)');
  expect(describeValue(0.5, -0, 'w', false)).toBe('Value(data=0.5, grad=-0, label="w", requiresGrad=false)');
  expect(String(new Value(2, { label: 'x', requiresGrad: false }))).toBe(
    'Value(data=2, grad=0, label="x", requiresGrad=false)',
  );
});

describe('describeForError', () => {
  test.each([
    [null, 'null'],
    [undefined, 'undefined'],
    ['3', '"3" (a string)'],
    ['', '"" (a string)'],
    ['a'.repeat(20), `"${'a'.repeat(20)}" (a string)`],
    ['a'.repeat(21), `"${'a'.repeat(20)}…" (a string)`],
    [12n, '12n (a bigint)'],
    [false, 'false (a boolean)'],
    [true, 'true (a boolean)'],
    [() => 1, 'a function'],
    [Symbol('s'), 'a symbol'],
    [[1, 2, 3], 'an array of length 3'],
    [{}, 'an object (Object)'],
    [new Map(), 'an object (Map)'],
    [Object.create(null), 'an object with a null prototype'],
    [new Value(1), 'a Value'],
    [NaN, 'NaN'],
    [-0, '0'],
    [2.5, '2.5'],
  ])('describes %p as %p', (x, text) => {
    expect(describeForError(x)).toBe(text);
  });

  test('never throws: a Proxy whose traps throw, an anonymous class, a constructor that is not a function', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
        getPrototypeOf() {
          throw new Error('trap');
        },
      },
    );
    expect(describeForError(hostile)).toBe('an object');
    const Anonymous = (() => class {})();
    expect(describeForError(new Anonymous())).toBe('an object (Object)');
    // A prototype without a constructor (its own prototype is null): still an object, named as one.
    expect(describeForError(Object.create(Object.create(null)))).toBe('an object (Object)');
    const odd = Object.create({ constructor: 5 });
    expect(describeForError(odd)).toBe('an object (Object)');
  });
});
