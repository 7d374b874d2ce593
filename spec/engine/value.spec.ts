import { inspect } from 'util';
import { Value, noGrad } from '../../lib';

describe('semantic 1: leaves and constants', () => {
  test('new Value(x) is a leaf that requires grad', () => {
    const x = new Value(3);
    expect([x.data, x.grad, x.requiresGrad, x.isLeaf, x.op, x.parents]).toEqual([3, 0, true, true, '', []]);
  });

  test('plain numbers passed to ops are constants, not parents', () => {
    const x = new Value(3);
    const y = x.mul(2).add(1);
    expect(y.parents).toHaveLength(1);
    y.backward();
    expect(x.grad).toBe(2);
  });

  test('requiresGrad: false makes a constant leaf; a label is kept', () => {
    const c = new Value(2, { requiresGrad: false, label: 'c' });
    expect([c.requiresGrad, c.label]).toEqual([false, 'c']);
  });
});

describe('semantic 5: detach()', () => {
  test('returns a new leaf with the same data that needs no grad, leaving the graph intact', () => {
    const x = new Value(2);
    const y = x.mul(x);
    const d = y.detach();
    expect(d).not.toBe(y);
    expect([d.data, d.requiresGrad, d.isLeaf]).toEqual([4, false, true]);
    expect(y.op).toBe('mul');
    y.backward();
    expect(x.grad).toBe(4);
  });
});

describe('semantic 6: detach_()', () => {
  test('the detach_ example: x = 3, y = x*x, y.detach_(), (y*x).backward() gives x.grad = 9', () => {
    const x = new Value(3);
    const y = x.mul(x);
    expect(y.detach_()).toBe(y);
    y.mul(x).backward();
    expect(x.grad).toBe(9);
  });

  test('without the detach_ the same graph gives 27', () => {
    const x = new Value(3);
    x.mul(x).mul(x).backward();
    expect(x.grad).toBe(27);
  });

  test('mutates in place: drops parents and rule, becomes a leaf that needs no grad', () => {
    const x = new Value(3);
    const y = x.mul(x);
    y.detach_();
    expect([y.isLeaf, y.requiresGrad, y.op, y.parents, y.data]).toEqual([true, false, '', [], 9]);
  });

  test('cuts consumers built BEFORE the call too (unlike PyTorch)', () => {
    const x = new Value(3);
    const y = x.mul(x);
    const z = y.mul(x); // built before the detach_
    y.detach_();
    z.backward();
    expect(x.grad).toBe(9);
  });

  test('a graph cut everywhere below the root leaves the root as the only node with a gradient', () => {
    const x = new Value(3);
    const y = x.mul(2);
    const z = y.add(1);
    y.detach_();
    z.backward();
    expect([z.grad, x.grad]).toEqual([1, 0]);
  });
});

describe('semantic 7: requiresGrad_()', () => {
  test('freezes and unfreezes a leaf', () => {
    const w = new Value(0.5);
    expect(w.requiresGrad_(false)).toBe(w);
    const frozen = w.mul(3);
    expect([frozen.requiresGrad, frozen.parents]).toEqual([false, []]);
    w.requiresGrad_();
    const live = w.mul(3);
    live.backward();
    expect(w.grad).toBe(3);
  });

  test('throws on a non-leaf, saying to detach first', () => {
    const y = new Value(1).mul(2);
    expect(() => y.requiresGrad_(false)).toThrow(/only leaves.*produced by 'mul'.*detach/);
    expect(y.requiresGrad).toBe(true);
  });

  test('rejects a non-boolean flag', () => {
    expect(() => new Value(1).requiresGrad_('no' as unknown as boolean)).toThrow(TypeError);
  });
});

describe('semantic 10: bad operands', () => {
  const bad: [string, unknown][] = [
    ['a string', '3'],
    ['undefined', undefined],
    ['null', null],
    ['an object', { data: 3 }],
    ['a bigint', 3n],
  ];

  test.each(bad)('%s throws a TypeError naming the op and what it expected', (_, operand) => {
    const x = new Value(1);
    for (const op of ['add', 'sub', 'mul', 'div', 'pow'] as const) {
      expect(() => x[op](operand as number)).toThrow(TypeError);
      expect(() => x[op](operand as number)).toThrow(new RegExp(`^${op}\\(\\): expected a Value or a number, got`));
    }
  });

  test('nothing is recorded when an op throws', () => {
    const x = new Value(1);
    expect(() => x.add('3' as unknown as number)).toThrow(TypeError);
    x.mul(2).backward();
    expect(x.grad).toBe(2);
  });

  test('the constructor rejects non-numbers and bad options', () => {
    expect(() => new Value('3' as unknown as number)).toThrow(
      /new Value\(data\): expected a number, got "3" \(a string\)/,
    );
    expect(() => new Value(undefined as unknown as number)).toThrow(TypeError);
    expect(() => new Value(1, { requiresGrad: 'yes' as unknown as boolean })).toThrow(TypeError);
    expect(() => new Value(1, { label: 5 as unknown as string })).toThrow(TypeError);
  });

  test('NaN and Infinity data follow IEEE arithmetic', () => {
    expect(new Value(Infinity).sub(Infinity).data).toBeNaN();
    expect(new Value(1).div(0).data).toBe(Infinity);
    const x = new Value(NaN);
    x.mul(2).backward();
    expect(x.grad).toBe(2);
    const z = new Value(0);
    z.log().backward();
    expect(z.grad).toBe(Infinity);
  });
});

describe('semantic 12: printing is short', () => {
  test('toString, util.inspect and console formatting show data and grad only', () => {
    const x = new Value(3);
    const y = x.mul(x);
    y.backward(3);
    expect(String(y)).toBe('Value(data=9, grad=3)');
    expect(inspect(y)).toBe('Value(data=9, grad=3)');
    expect(inspect({ y })).toBe('{ y: Value(data=9, grad=3) }');
    expect(inspect(new Value(0.1 + 0.2, { label: 'w' }))).toBe('Value(data=0.3, grad=0, label="w")');
    expect(inspect(noGrad(() => x.mul(2)))).toBe('Value(data=6, grad=0, requiresGrad=false)');
  });

  test('JSON.stringify gives data and grad, never the graph', () => {
    let v = new Value(1);
    for (let i = 0; i < 10_000; i++) v = v.add(1);
    expect(JSON.stringify(v)).toBe('{"data":10001,"grad":0}');
  });
});

describe('zeroGrad and label', () => {
  test('zeroGrad resets this node only', () => {
    const x = new Value(2);
    const y = x.mul(3);
    y.backward();
    y.zeroGrad();
    expect([y.grad, x.grad]).toEqual([0, 3]);
  });

  test('label can be set later and must be a string', () => {
    const x = new Value(1);
    x.label = 'x';
    expect(x.label).toBe('x');
    expect(() => {
      x.label = 3 as unknown as string;
    }).toThrow(TypeError);
  });
});

describe('parents and the packed state', () => {
  test("an n-ary op's parents are its Value operands, in order, numbers left out", () => {
    const [a, b] = [new Value(2), new Value(3)];
    const s = Value.sum([a, 4, b, a]);
    expect(s.parents).toEqual([a, b, a]);
    expect(s.parents[1]).toBe(b);
  });

  test('_slot and _flags share _state without disturbing each other', () => {
    const v = new Value(1);
    v._slot = 5;
    expect([v._slot, v._flags]).toEqual([5, 1]);
    v._flags = 8;
    expect([v._slot, v._flags, v.requiresGrad]).toEqual([5, 8, false]);
    v._slot = -1;
    expect([v._slot, v._flags]).toEqual([-1, 8]);
  });
});
