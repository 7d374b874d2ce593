/**
 * The ops' refusals, word for word: each names the op and the argument, says what was expected
 * and what was given, and how to fix it.
 */
import { Value } from '../../lib';

const tail = 'Strings are not converted: pass Number(s), or wrap data with new Value(x) or tensor(x).';
const bad = 'x' as unknown as number;

describe('op refusals', () => {
  test.each(['add', 'sub', 'mul', 'div', 'pow', 'max', 'min'] as const)('%s names a bad operand', (op) => {
    expect(() => new Value(1)[op](bad)).toThrow(
      new TypeError(`${op}(): expected a Value or a number, got "x" (a string). ${tail}`),
    );
    expect(() => new Value(1)[op](null as unknown as number)).toThrow(TypeError);
  });

  test('clamp and leakyRelu check their numbers', () => {
    expect(() => new Value(1).clamp(0, '1' as unknown as number)).toThrow(
      new TypeError('clamp(): max must be a number, got "1" (a string).'),
    );
    expect(() => new Value(1).clamp(NaN, 1)).toThrow(new TypeError('clamp(): min must be a number, got NaN.'));
    expect(() => new Value(1).clamp(2, 1)).toThrow(
      new RangeError('clamp(min, max): min (2) is greater than max (1); swap them.'),
    );
    expect(() => new Value(1).leakyRelu(NaN)).toThrow(new TypeError('leakyRelu(): slope must be a number, got NaN.'));
    expect(() => new Value(1).leakyRelu('0.1' as unknown as number)).toThrow(
      new TypeError('leakyRelu(): slope must be a number, got "0.1" (a string).'),
    );
    // Equal bounds and infinite bounds are accepted.
    expect([new Value(3).clamp(1, 1).data, new Value(3).clamp(-Infinity, Infinity).data]).toEqual([1, 3]);
  });

  test('Value.sum and Value.dot name what they were given', () => {
    expect(() => Value.sum(null as never)).toThrow(
      new TypeError('Value.sum(values): expected an iterable (e.g. an array) of Values and numbers, got null.'),
    );
    expect(() => Value.sum(5 as never)).toThrow(
      new TypeError('Value.sum(values): expected an iterable (e.g. an array) of Values and numbers, got 5.'),
    );
    expect(() => Value.sum([1, 'y' as never])).toThrow(
      new TypeError(`Value.sum(): expected a Value or a number, got "y" (a string). ${tail}`),
    );
    expect(() => Value.dot([1], 2 as never)).toThrow(
      new TypeError('Value.dot(a, b): expected two arrays of Values and numbers, got an array of length 1 and 2.'),
    );
    expect(() => Value.dot(2 as never, [1])).toThrow(
      new TypeError('Value.dot(a, b): expected two arrays of Values and numbers, got 2 and an array of length 1.'),
    );
    expect(() => Value.dot([1, 2], [3])).toThrow(
      new RangeError('Value.dot(a, b): a has 2 entries but b has 1; they must have the same length.'),
    );
    expect(() => Value.dot(['p' as never], [1])).toThrow(
      new TypeError(`Value.dot(): expected a Value or a number, got "p" (a string). ${tail}`),
    );
    expect(() => Value.dot([1], [new Value(1), 'q' as never].slice(1))).toThrow(
      new TypeError(`Value.dot(): expected a Value or a number, got "q" (a string). ${tail}`),
    );
    expect(() => Value.dot([1], [1], 's' as never)).toThrow(
      new TypeError(`Value.dot(): expected a Value or a number, got "s" (a string). ${tail}`),
    );
  });

  test('op methods are installed like class methods: not enumerable, replaceable', () => {
    for (const name of ['add', 'mul', 'pow', 'relu', 'clamp', 'max', 'exp', 'softplus']) {
      const d = Object.getOwnPropertyDescriptor(Value.prototype, name)!;
      expect([name, typeof d.value, d.enumerable, d.writable, d.configurable]).toEqual([
        name,
        'function',
        false,
        true,
        true,
      ]);
    }
    expect(Object.keys(new Value(1))).not.toContain('add');
  });
});
