import { DataLoader, seededRng } from '../../lib';

/** 5 samples of shape [2]: sample i is [10i, 10i + 1], label i. */
const data = {
  x: Float32Array.from({ length: 10 }, (_, k) => 10 * Math.floor(k / 2) + (k % 2)),
  sampleShape: [2],
  y: Int32Array.of(0, 1, 2, 3, 4),
};

const epoch = (loader: DataLoader) => [...loader].map(({ x, y }) => ({ x: x.toArray(), shape: x.shape, y: [...y] }));

test('batches in order copy rows into [batch, ...sampleShape] tensors with Int32Array labels; the last may be short', () => {
  const loader = new DataLoader(data, { batchSize: 2 });
  expect(loader.length).toBe(3);
  expect(epoch(loader)).toEqual([
    {
      x: [
        [0, 1],
        [10, 11],
      ],
      shape: [2, 2],
      y: [0, 1],
    },
    {
      x: [
        [20, 21],
        [30, 31],
      ],
      shape: [2, 2],
      y: [2, 3],
    },
    { x: [[40, 41]], shape: [1, 2], y: [4] },
  ]);
  const [first] = loader;
  expect(first.y).toBeInstanceOf(Int32Array);
  first.x.data[0] = 99; // a copy: the data set is untouched
  expect(data.x[0]).toBe(0);
});

test('dropLast leaves out the short batch', () => {
  const loader = new DataLoader(data, { batchSize: 2, dropLast: true });
  expect(loader.length).toBe(2);
  expect(epoch(loader).map((b) => b.y)).toEqual([
    [0, 1],
    [2, 3],
  ]);
  expect(new DataLoader(data, { batchSize: 5, dropLast: true }).length).toBe(1);
});

test('seeded shuffle: every sample once per epoch, a new order each epoch, the same sequence every run', () => {
  const run = () => {
    const loader = new DataLoader(data, { batchSize: 2, shuffle: true, rng: seededRng(3) });
    return [epoch(loader), epoch(loader), epoch(loader)];
  };
  const [a, b, c] = run();
  for (const e of [a, b, c]) {
    const ys = e.flatMap((batch) => batch.y);
    expect([...ys].sort()).toEqual([0, 1, 2, 3, 4]);
    for (const batch of e)
      (batch.x as number[][]).forEach((row, i) => expect(row).toEqual([10 * batch.y[i], 10 * batch.y[i] + 1]));
  }
  expect(new Set([a, b, c].map((e) => JSON.stringify(e.map((batch) => batch.y)))).size).toBeGreaterThan(1);
  expect(run()).toEqual([a, b, c]);
  // the order is the Fisher-Yates permutation drawn from seededRng(3)
  const rng = seededRng(3);
  const order = [0, 1, 2, 3, 4];
  for (let i = 4; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  expect(a.flatMap((batch) => batch.y)).toEqual(order);
});

test('float targets come as a Tensor of [batch, ...targetShape]', () => {
  const loader = new DataLoader(
    {
      x: Float64Array.of(1, 2, 3),
      sampleShape: [1],
      y: Float32Array.of(0.5, 1.5, 2.5, 3.5, 4.5, 5.5),
      targetShape: [2],
    },
    { batchSize: 2 },
  );
  const [first, second] = loader;
  expect(first.x.dtype).toBe('float64');
  expect(first.y.toArray()).toEqual([
    [0.5, 1.5],
    [2.5, 3.5],
  ]);
  expect(second.y.shape).toEqual([1, 2]);
});

test('bad data sets and options are refused with the sizes', () => {
  expect(() => new DataLoader({ ...data, x: Float32Array.of(1, 2, 3) })).toThrow(
    /3 elements, not a whole number of samples of shape \[2\]/,
  );
  expect(() => new DataLoader({ ...data, y: Int32Array.of(1) })).toThrow(
    /dataset.y has 1 elements for 5 samples; expected 5/,
  );
  expect(() => new DataLoader({ ...data, x: [1, 2] as never })).toThrow(/dataset.x must be a Float32Array/);
  expect(() => new DataLoader(data, { batchSize: 0 })).toThrow(/batchSize must be a positive integer/);
});
