/** The order of a backward pass: NodeList's chunks, and the 2^25-node limit with what it leaves behind. */
import { Value } from '../../lib';
import { MAX_SLOT, NO_SLOT } from '../../lib/engine/node';
import { NodeList, slotOf, sortTopologically } from '../../lib/engine/order';

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
