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
    expect(() => Value.sum(undefined as unknown as Value[])).toThrow(/Value\.sum\(values\): expected an iterable/);
    expect(() => Value.sum([new Value(1), '2' as unknown as number])).toThrow(
      /Value\.sum\(\): expected a Value or a number, got "2"/,
    );
  });
});

describe('Value.dot', () => {
  test('is start + sum a_i b_i as one node, adding left to right like a chain', () => {
    const w = [new Value(0.1), new Value(-0.7), new Value(0.3)];
    const x = [0.25, new Value(1.5), -2];
    const b = new Value(0.05);
    const d = Value.dot(w, x, b);
    let chain = b.data;
    for (let i = 0; i < 3; i++)
      chain = chain + w[i].data * (typeof x[i] === 'number' ? (x[i] as number) : (x[i] as Value).data);
    expect(d.data).toBe(chain);
    expect(d.op).toBe('dot');
    expect(d.parents).toEqual([b, w[0], w[1], x[1], w[2]]);
  });

  test('gradients go to both factors and the start, matching central differences', () => {
    const x = new Value(1.5);
    const w = new Value(-0.7);
    const b = new Value(0.2);
    Value.dot([w, 3], [x, w], b).backward();
    expect([w.grad, x.grad, b.grad]).toEqual([1.5 + 3, -0.7, 1]);
    expectGradientsMatch((p, q, r) => Value.dot([p, q, 2], [q, r, p], r).tanh(), [0.3, -0.8, 1.1]);
  });

  test('defaults start to 0, and a dot of constants records nothing', () => {
    expect(Value.dot([2], [3]).data).toBe(6);
    expect(Value.dot([2], [new Value(3, { requiresGrad: false })]).requiresGrad).toBe(false);
  });

  test('rejects mismatched lengths and bad entries with errors that name both', () => {
    expect(() => Value.dot([1, 2], [1])).toThrow(/a has 2 entries but b has 1/);
    expect(() => Value.dot([1], ['x' as unknown as number])).toThrow(
      /Value\.dot\(\): expected a Value or a number, got "x"/,
    );
    expect(() => Value.dot(3 as unknown as number[], [1])).toThrow(TypeError);
  });
});
