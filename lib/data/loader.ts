/**
 * A `DataLoader` over typed arrays: the whole data set lives in one flat array (features) and
 * one label array; each batch copies its rows into one new array and wraps it in a Tensor, so
 * there is never an object per sample. Shuffling is seeded, so runs reproduce.
 */
import { describeForError } from '../engine/errors';
import { tensor } from '../tensor/create';
import type { Tensor } from '../tensor/tensor';
import { booleanOption, integerOption, optionsObject, rngOption } from '../util/options';
import { type Rng, seededRng } from './random';

/** A data set as typed arrays: `x` holds every sample's features one after the other. */
export interface ArrayDataset<Y extends Int32Array | Float32Array | Float64Array = Int32Array> {
  /** The features of all samples, row-major (sample i is `x[i*size .. (i+1)*size)`). */
  x: Float32Array | Float64Array;
  /** The shape of one sample, e.g. [784] or [1, 28, 28]. */
  sampleShape: readonly number[];
  /** Class indices (Int32Array, one per sample) or float targets (`targetShape` elements per sample). */
  y: Y;
  /** The shape of one float target (default [], one number per sample); unused for Int32Array labels. */
  targetShape?: readonly number[];
}

/** One batch: features `[batch, ...sampleShape]` and the matching labels (copied). */
export interface Batch<Y> {
  x: Tensor;
  y: Y extends Int32Array ? Int32Array : Tensor;
}

/** Options for `DataLoader` (PyTorch's names). */
export interface DataLoaderOptions {
  /** Samples per batch (default 1). */
  batchSize?: number;
  /** A new seeded order every epoch (default false: the stored order). */
  shuffle?: boolean;
  /** The random source for shuffling; default `seededRng(0)`, so runs reproduce. */
  rng?: Rng;
  /** Leave out a last batch smaller than `batchSize` (default false). */
  dropLast?: boolean;
}

/**
 * Batches of a typed-array data set; each `for ... of` over it is one epoch (reshuffled when
 * `shuffle` is on, drawing from the same seeded source, so epoch k is the same every run).
 *
 * @example
 * const data = { x: new Float32Array([0, 1, 2, 3, 4, 5]), sampleShape: [2], y: Int32Array.of(0, 1, 0) };
 * const loader = new DataLoader(data, { batchSize: 2 });
 * for (const { x, y } of loader) console.log(x.shape, y);   // [2, 2] Int32Array [0, 1], then [1, 2] Int32Array [0]
 */
export class DataLoader<Y extends Int32Array | Float32Array | Float64Array = Int32Array> implements Iterable<Batch<Y>> {
  /** How many samples the data set has. */
  readonly count: number;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  private readonly rng: Rng;
  private readonly sampleSize: number;
  private readonly targetSize: number;

  constructor(
    readonly dataset: ArrayDataset<Y>,
    options: DataLoaderOptions = {},
  ) {
    const where = 'new DataLoader(dataset, options)';
    if (typeof dataset !== 'object' || dataset === null)
      throw new TypeError(`${where}: dataset must be { x, sampleShape, y }, got ${describeForError(dataset)}.`);
    const { x, y, sampleShape } = dataset;
    if (!(x instanceof Float32Array || x instanceof Float64Array))
      throw new TypeError(`${where}: dataset.x must be a Float32Array or Float64Array, got ${describeForError(x)}.`);
    if (!Array.isArray(sampleShape) || sampleShape.some((d) => !Number.isInteger(d) || d < 1))
      throw new TypeError(
        `${where}: dataset.sampleShape must be an array of positive integers (one sample's shape, e.g. [784]), got ${describeForError(sampleShape)}.`,
      );
    if (!(y instanceof Int32Array || y instanceof Float32Array || y instanceof Float64Array))
      throw new TypeError(
        `${where}: dataset.y must be an Int32Array (classes) or a Float32Array/Float64Array (targets).`,
      );
    this.sampleSize = sampleShape.reduce((a, b) => a * b, 1);
    this.targetSize = y instanceof Int32Array ? 1 : (dataset.targetShape ?? []).reduce((a, b) => a * b, 1);
    this.count = x.length / this.sampleSize;
    if (!Number.isInteger(this.count))
      throw new RangeError(
        `${where}: dataset.x has ${x.length} elements, not a whole number of samples of shape [${sampleShape.join(', ')}].`,
      );
    if (y.length !== this.count * this.targetSize)
      throw new RangeError(
        `${where}: dataset.y has ${y.length} elements for ${this.count} samples; expected ${this.count * this.targetSize}.`,
      );
    const o = optionsObject(where, options);
    this.batchSize = integerOption(where, 'batchSize', o.batchSize, 1, 1);
    this.shuffle = booleanOption(where, 'shuffle', o.shuffle, false);
    this.dropLast = booleanOption(where, 'dropLast', o.dropLast, false);
    this.rng = rngOption(where, o.rng) ?? seededRng(0);
  }

  /**
   * The number of batches per epoch (PyTorch's `len(loader)`).
   *
   * @example
   * new DataLoader(data, { batchSize: 2 }).length;   // 2 for 3 samples (1 with dropLast)
   */
  get length(): number {
    return this.dropLast ? Math.floor(this.count / this.batchSize) : Math.ceil(this.count / this.batchSize);
  }

  /**
   * One epoch of batches.
   *
   * @example
   * for (const { x, y } of loader) train(x, y);
   */
  *[Symbol.iterator](): Iterator<Batch<Y>> {
    const order = this.order();
    for (let b = 0; b < this.length; b++) {
      const rows = order.subarray(b * this.batchSize, Math.min((b + 1) * this.batchSize, this.count));
      yield this.batch(rows);
    }
  }

  /** The sample indices of the next epoch: 0..count-1, Fisher-Yates shuffled on request. */
  private order(): Int32Array {
    const order = new Int32Array(this.count);
    for (let i = 0; i < this.count; i++) order[i] = i;
    if (this.shuffle) {
      for (let i = this.count - 1; i > 0; i--) {
        const j = Math.floor(this.rng() * (i + 1));
        const t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }
    return order;
  }

  /** Copies the given rows into one batch. */
  private batch(rows: Int32Array): Batch<Y> {
    const { x, y, sampleShape } = this.dataset;
    const n = rows.length;
    const [size, tsize] = [this.sampleSize, this.targetSize];
    const xs = x instanceof Float32Array ? new Float32Array(n * size) : new Float64Array(n * size);
    for (let i = 0; i < n; i++) xs.set(x.subarray(rows[i] * size, (rows[i] + 1) * size), i * size);
    const batchX = tensor(xs, { shape: [n, ...sampleShape] });
    if (y instanceof Int32Array) {
      const ys = new Int32Array(n);
      for (let i = 0; i < n; i++) ys[i] = y[rows[i]];
      return { x: batchX, y: ys } as Batch<Y>;
    }
    const ys = y instanceof Float32Array ? new Float32Array(n * tsize) : new Float64Array(n * tsize);
    for (let i = 0; i < n; i++) ys.set(y.subarray(rows[i] * tsize, (rows[i] + 1) * tsize), i * tsize);
    return { x: batchX, y: tensor(ys, { shape: [n, ...(this.dataset.targetShape ?? [])] }) } as Batch<Y>;
  }
}
