import { Value, noGrad } from '../../lib';
import { expectGradientsMatch } from '../helpers/finite-difference';

describe('Value.sum', () => {
  test('is one n-ary node over Values and numbers, in order', () => {
    const a = new Value(1);
    const b = new Value(2);
    const s = Value.sum([a, 10, b, 0.5]);
    expect(s.data).toBe(13.5);
    expect(s.op).toBe('sum');
    expect(s.parents).toEqual([a, b]);
  });

  test('passes the gradient to every Value term, counting repeats', () => {
    const a = new Value(1);
    const b = new Value(2);
    Value.sum([a, b, a]).mul(3).backward();
    expect(a.grad).toBe(6);
    expect(b.grad).toBe(3);
  });

  test('matches central differences', () => {
    expectGradientsMatch((x, y, z) => Value.sum([x.mul(y), z, y.tanh(), 2]).mul(x), [0.3, -1.2, 2]);
  });

  test('accepts any iterable, and an empty sum is the constant 0', () => {
    function* terms() {
      yield new Value(1);
      yield 2;
    }
    expect(Value.sum(terms()).data).toBe(3);
    const empty = Value.sum([]);
    expect(empty.data).toBe(0);
    expect(empty.requiresGrad).toBe(false);
  });

  test('a sum of constants or under noGrad records nothing', () => {
    const c = Value.sum([1, new Value(2, { requiresGrad: false })]);
    expect(c.requiresGrad).toBe(false);
    expect(c.isLeaf).toBe(true);
    const d = noGrad(() => Value.sum([new Value(1)]));
    expect(d.parents).toEqual([]);
  });

  test('rejects non-iterables and bad terms with a TypeError', () => {
    expect(() => Value.sum(undefined as unknown as Value[])).toThrow(TypeError);
    expect(() => Value.sum([new Value(1), '2' as unknown as number])).toThrow(/Value\.sum\(\): expected a Value or a number, got "2"/);
  });
});
