import { batches, makeMoons, seededRng, shuffled } from '../../lib';

describe('seededRng, shuffled, makeMoons, batches', () => {
  test('seededRng is deterministic, in [0, 1), and differs by seed', () => {
    const a = seededRng(42);
    expect([a(), a()]).toEqual([0.6011037519201636, 0.44829055899754167]);
    const xs = Array.from({ length: 1000 }, seededRng(3));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(seededRng(1)()).not.toBe(seededRng(2)());
    expect(() => seededRng(NaN)).toThrow(TypeError);
  });

  test('shuffled permutes a copy reproducibly', () => {
    const items = [1, 2, 3, 4, 5, 6];
    const s = shuffled(items, seededRng(0));
    expect([...s].sort()).toEqual(items);
    expect(s).toEqual(shuffled(items, seededRng(0)));
    expect(items).toEqual([1, 2, 3, 4, 5, 6]);
  });

  test('makeMoons gives n labelled points, the same for the same seed', () => {
    const a = makeMoons(100, { rng: seededRng(1337) });
    expect(a.xs).toHaveLength(100);
    expect(a.ys.filter((y) => y === 1)).toHaveLength(50);
    expect(makeMoons(100, { rng: seededRng(1337) })).toEqual(a);
    expect(() => makeMoons(1)).toThrow(RangeError);
  });

  test('batches split in order, or shuffled reproducibly, optionally dropping a short last batch', () => {
    expect(batches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(batches([1, 2, 3, 4, 5], 2, { dropLast: true })).toEqual([
      [1, 2],
      [3, 4],
    ]);
    const a = batches([1, 2, 3, 4, 5, 6], 3, { shuffle: true, rng: seededRng(9) });
    expect(a.flat().sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(batches([1, 2, 3, 4, 5, 6], 3, { shuffle: true, rng: seededRng(9) })).toEqual(a);
    expect(() => batches([1], 0)).toThrow(/batchSize must be a positive integer/);
    expect(() => batches([1], 1, { shuffle: true })).toThrow(/shuffle needs an rng/);
  });
});
