/** The order of a backward pass: NodeList's chunks, and the 2^25-node limit with what it leaves behind. */
import { Value } from '../../lib';
import { MAX_SLOT, NO_SLOT } from '../../lib/engine/node';
import { NodeList, setSlot, slotOf, sortTopologically } from '../../lib/engine/order';

/** A NodeList that claims to be full already (2^25 nodes would take minutes to build). */
function fullList(): NodeList {
  const list = new NodeList();
  list.length = MAX_SLOT + 1;
  return list;
}

const limit = 'backward(): the graph has more than 33554432 (2^25) nodes, more than one pass can order.';

describe('the 2^25-node limit', () => {
  test('MAX_SLOT is 2^25 - 1', () => {
    expect(MAX_SLOT).toBe(2 ** 25 - 1);
  });

  test('placing one node past it throws a RangeError stating the limit, and leaves every node free', () => {
    const x = new Value(1);
    expect(() => sortTopologically(x, fullList(), false)).toThrow(new RangeError(limit));
    expect(slotOf(x)).toBe(NO_SLOT);
    const y = x.mul(2);
    expect(() => sortTopologically(y, fullList(), false)).toThrow(RangeError);
    expect([slotOf(x), slotOf(y)]).toEqual([NO_SLOT, NO_SLOT]);
    // Both can still take part in a pass.
    y.backward();
    expect(x.grad).toBe(2);
  });

  test('a list one short of the limit still places a node', () => {
    const list = new NodeList();
    list.length = MAX_SLOT;
    const x = new Value(1);
    // The push itself fails on this fake (its chunks were never allocated), but not with the limit's RangeError.
    expect(() => sortTopologically(x, list, false)).not.toThrow(RangeError);
  });
});

describe('NodeList', () => {
  test('push, get and pop across chunk boundaries (1024 nodes a chunk)', () => {
    const list = new NodeList();
    const nodes = Array.from({ length: 2050 }, (_, i) => new Value(i));
    nodes.forEach((node, i) => expect(list.push(node)).toBe(i));
    expect(list.length).toBe(2050);
    expect([0, 1023, 1024, 2047, 2048, 2049].map((i) => (list.get(i) as Value).data)).toEqual([
      0, 1023, 1024, 2047, 2048, 2049,
    ]);
    const popped: number[] = [];
    while (list.length > 1020) popped.push((list.pop() as Value).data);
    expect(popped.slice(0, 3)).toEqual([2049, 2048, 2047]);
    expect(popped.at(-1)).toBe(1020);
    // Pushing again after popping below a chunk boundary reuses fresh chunks correctly.
    for (let i = 0; i < 10; i++) list.push(nodes[i]);
    expect([
      list.length,
      (list.get(1019) as Value).data,
      (list.get(1020) as Value).data,
      (list.get(1029) as Value).data,
    ]).toEqual([1030, 1019, 0, 9]);
  });
});

const overlap =
  'backward(): part of this graph is already in a backward pass under way (was backward() called from a hook?). ' +
  'Run the second pass after the first one returns.';

describe('sortTopologically', () => {
  test('a node two operands reach before it is visited is placed once: its hook runs once', () => {
    const x = new Value(2);
    const y = x.mul(2);
    const seen: number[] = [];
    y.registerHook((g) => {
      seen.push(g);
    });
    y.mul(y).backward();
    // d(y²)/dy = 2y = 8, d/dx = 8 * 2.
    expect([seen, x.grad]).toEqual([[8], 16]);
  });

  test("an n-ary op's operands are all reached, numbers skipped", () => {
    const [a, b, c] = [new Value(2), new Value(3), new Value(5)];
    const s = Value.sum([a.mul(a), 4, b, c.mul(2)]);
    const order: Value[] = [];
    const list = new NodeList();
    sortTopologically(s, list, false);
    for (let i = 0; i < list.length; i++) order.push(list.get(i) as Value);
    // A leaf is placed as soon as it is reached; an op node is stacked, so the last one reached is visited first.
    expect(order.map((v) => v.op || `leaf ${v.data}`)).toEqual(['leaf 3', 'leaf 5', 'mul', 'leaf 2', 'mul', 'sum']);
    for (const v of order) setSlot(v, NO_SLOT);
    s.backward();
    expect([a.grad, b.grad, c.grad]).toEqual([4, 1, 2]);
  });

  test('a root that already holds a slot is refused, even when the caller says no pass is under way', () => {
    const x = new Value(1);
    setSlot(x, 0);
    try {
      expect(() => sortTopologically(x, new NodeList(), false)).toThrow(new Error(overlap));
      expect(slotOf(x)).toBe(0);
    } finally {
      setSlot(x, NO_SLOT);
    }
  });
});

describe('passes started from a hook', () => {
  test('a disjoint graph with a node used twice is ordered normally', () => {
    const other = new Value(3);
    const x = new Value(2);
    x.registerHook(() => {
      const h = other.mul(2);
      h.mul(h).add(other).backward();
    });
    x.mul(3).backward();
    // d/d(other) [(2o)² + o] = 8o + 1 = 25.
    expect([x.grad, other.grad]).toEqual([3, 25]);
  });

  test("a node of the first pass is recognised even where the second pass's order already has that many nodes", () => {
    const x = new Value(2);
    const y = x.mul(3); // x has slot 0 in the first pass, y slot 1
    const w = new Value(1);
    y.registerHook(() => {
      // The second pass places w at its slot 0 before it reaches x, whose slot 0 belongs to the first pass.
      w.add(x).mul(2).backward();
    });
    expect(() => y.mul(2).backward()).toThrow(new Error(overlap));
    expect([x.grad, y.grad, w.grad]).toEqual([0, 0, 0]);
    expect([slotOf(x), slotOf(y), slotOf(w)]).toEqual([NO_SLOT, NO_SLOT, NO_SLOT]);
  });
});
