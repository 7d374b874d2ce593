/** Creating tensors: from data (numbers, nested arrays, typed arrays plus shape), filled, ranges, identity, seeded random, and the errors for bad input. */
import {
  arange,
  eye,
  full,
  gaussian,
  linspace,
  ones,
  onesLike,
  rand,
  randn,
  seededRng,
  tensor,
  zeros,
  zerosLike,
} from '../../lib';
import type { Rng } from '../../lib';

describe('tensor(data, options)', () => {
  test('from a number: a 0-d tensor', () => {
    const t = tensor(2.5);
    expect([t.shape, t.item(), t.dtype]).toEqual([[], 2.5, 'float32']);
  });

  test('from nested arrays: the shape is inferred and the data copied', () => {
    const data = [[[1, 2]], [[3, 4]], [[5, 6]]];
    const t = tensor(data);
    expect(t.shape).toEqual([3, 1, 2]);
    expect(t.toArray()).toEqual(data);
    data[0][0][0] = 99;
    expect(t.data[0]).toBe(1);
  });

  test('from a typed array: 1-D by default, or read in the given shape; the dtype follows the array', () => {
    const f64 = new Float64Array([1, 2, 3, 4, 5, 6]);
    expect(tensor(f64).shape).toEqual([6]);
    const t = tensor(f64, { shape: [2, 3] });
    expect([t.dtype, t.shape, t.toArray()]).toEqual([
      'float64',
      [2, 3],
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
    ]);
    f64[0] = 42;
    expect(t.data[0]).toBe(1);
    expect(tensor(new Float32Array([1, 2])).dtype).toBe('float32');
    expect(tensor(new Float64Array([0.1]), { dtype: 'float32' }).data[0]).toBe(Math.fround(0.1));
  });

  test('from a flat number array with a shape', () => {
    expect(tensor([1, 2, 3, 4], { shape: [2, 2] }).toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(tensor(7, { shape: [1, 1] }).toArray()).toEqual([[7]]);
  });

  test('options: dtype, requiresGrad, label', () => {
    const t = tensor([0.1], { dtype: 'float64', requiresGrad: true, label: 'w' });
    expect([t.dtype, t.data[0], t.requiresGrad, t.isLeaf, t.label]).toEqual(['float64', 0.1, true, true, 'w']);
    expect(tensor([1]).requiresGrad).toBe(false);
  });

  test('ragged nested arrays are an error naming the offending index', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(
      'tensor(): ragged nested arrays: the entry at index [1] has length 1, but the first entry at that depth has length 2. Every row must have the same length.',
    );
    expect(() =>
      tensor([
        [[1], [2]],
        [[3], [4, 5]],
      ]),
    ).toThrow('the entry at index [1][1] has length 2, but the first entry at that depth has length 1');
    expect(() => tensor([[1, 2], 3])).toThrow(
      'the entry at index [1] is 3, but the first entry at that depth has length 2',
    );
    expect(() => tensor([[1, 'x']] as unknown as number[][])).toThrow(
      /tensor\(\): expected a number at index \[0\]\[1\], got "x"/,
    );
  });

  test('a shape that does not fit the data, and bad options, are errors naming them', () => {
    expect(() => tensor([1, 2, 3], { shape: [2, 2] })).toThrow(
      'tensor(): 3 values cannot fill shape [2, 2] (4 elements).',
    );
    expect(() => tensor([1], { shape: [-1] })).toThrow(
      'tensor(): shape must be an array of non-negative integers, got [-1].',
    );
    expect(() => tensor([1], { dtype: 'int32' as 'float32' })).toThrow(
      "tensor(): dtype must be 'float32' or 'float64', got \"int32\"",
    );
    expect(() => tensor([1], { requiresGrad: 1 as unknown as boolean })).toThrow(
      'tensor(): requiresGrad must be a boolean, got 1',
    );
  });
});

describe('filled tensors', () => {
  test('zeros, ones, full', () => {
    expect(zeros([2, 3]).toArray()).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(ones([2], { dtype: 'float64' }).data).toEqual(new Float64Array([1, 1]));
    expect(full([2, 1], 7.5).toArray()).toEqual([[7.5], [7.5]]);
    expect(zeros([]).shape).toEqual([]);
    expect(zeros([3, 0]).size).toBe(0);
    expect(ones([2], { requiresGrad: true }).requiresGrad).toBe(true);
  });

  test('zerosLike and onesLike take the shape and dtype, and options override', () => {
    const f = tensor(new Float64Array(6), { shape: [3, 2] });
    const z = zerosLike(f);
    expect([z.shape, z.dtype, Array.from(z.data)]).toEqual([[3, 2], 'float64', [0, 0, 0, 0, 0, 0]]);
    const o = onesLike(f, { dtype: 'float32', requiresGrad: true });
    expect([o.dtype, o.requiresGrad, o.data[5]]).toEqual(['float32', true, 1]);
  });

  test('eye: square or rectangular', () => {
    expect(eye(2).toArray()).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(eye(2, 3).toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
  });

  test('bad shapes and values are errors naming them', () => {
    expect(() => zeros([2, 1.5])).toThrow('full(): shape must be an array of non-negative integers, got [2,1.5].');
    expect(() => full([2], '1' as unknown as number)).toThrow('full(shape, value): value must be a number, got "1"');
  });
});

describe('ranges', () => {
  test('arange: end only, start and end, a step, a negative step', () => {
    expect(arange(4).toArray()).toEqual([0, 1, 2, 3]);
    expect(arange(2, 5).toArray()).toEqual([2, 3, 4]);
    expect(arange(0, 1, 0.25, { dtype: 'float64' }).toArray()).toEqual([0, 0.25, 0.5, 0.75]);
    expect(arange(3, 0, -1).toArray()).toEqual([3, 2, 1]);
    expect(arange(2, 2).shape).toEqual([0]);
    expect(() => arange(0, 1, 0)).toThrow(
      'arange(start, end, step): expected finite numbers and a non-zero step, got 0, 1, 0.',
    );
  });

  test('linspace: both ends included', () => {
    expect(linspace(0, 1, 5, { dtype: 'float64' }).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(linspace(2, 3, 1).toArray()).toEqual([2]);
    expect(linspace(2, 3, 0).shape).toEqual([0]);
    expect(() => linspace(0, 1, 2.5)).toThrow(
      'linspace(start, end, steps): steps must be a non-negative integer, got 2.5.',
    );
  });
});

describe('seeded random tensors', () => {
  test('rand draws from the given generator, in order', () => {
    const t = rand([2, 2], { rng: seededRng(7), dtype: 'float64' });
    const rng = seededRng(7);
    expect(Array.from(t.data)).toEqual([rng(), rng(), rng(), rng()]);
    for (const v of t.data) expect(v >= 0 && v < 1).toBe(true);
  });

  test('randn uses the toolkit gaussian on the same generator', () => {
    const t = randn([3], { rng: seededRng(11), dtype: 'float64' });
    const rng = seededRng(11);
    expect(Array.from(t.data)).toEqual([gaussian(rng), gaussian(rng), gaussian(rng)]);
  });

  test('the same seed gives the same tensor; options apply', () => {
    expect(Array.from(randn([5], { rng: seededRng(1) }).data)).toEqual(
      Array.from(randn([5], { rng: seededRng(1) }).data),
    );
    const w = randn([2, 2], { rng: seededRng(1), requiresGrad: true, label: 'w' });
    expect([w.requiresGrad, w.isLeaf, w.label, w.dtype]).toEqual([true, true, 'w', 'float32']);
  });

  test('1,000 draws of randn have mean near 0 and variance near 1', () => {
    const t = randn([1000], { rng: seededRng(5), dtype: 'float64' });
    const m = t.mean().item();
    const v = t.sub(m).pow(2).mean().item();
    expect(Math.abs(m)).toBeLessThan(0.1);
    expect(Math.abs(v - 1)).toBeLessThan(0.1);
  });

  test('the generator is required', () => {
    expect(() => rand([2], {} as { rng: Rng })).toThrow(
      'rand(shape, { rng }): rng must be a random source such as seededRng(42), got undefined',
    );
    expect(() => randn([2], undefined as unknown as { rng: Rng })).toThrow(
      'randn(shape, { rng }): rng must be a random source',
    );
  });
});
