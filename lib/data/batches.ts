/** Mini-batches of a data set, optionally shuffled by a seeded source (reproducible epochs). */
import chunk from 'lodash/chunk.js';
import { describeForError } from '../engine/errors';
import { booleanOption, optionsObject, rngOption } from '../util/options';
import { type Rng, shuffled } from './random';

/** Options for `batches`. */
export interface BatchOptions {
  /** Shuffle the items before batching (default false). */
  shuffle?: boolean;
  /** The random source for shuffling (required when shuffle is true, so epochs reproduce). */
  rng?: Rng;
  /** Leave out a last batch smaller than `batchSize` (default false). */
  dropLast?: boolean;
}

/**
 * Splits `items` into batches of `batchSize` (the last may be smaller), shuffled first on
 * request. Call it once per epoch with the same `rng` to get a new, reproducible order.
 *
 * @example
 * batches([1, 2, 3, 4, 5], 2);                                // [[1, 2], [3, 4], [5]]
 * batches([1, 2, 3, 4], 2, { shuffle: true, rng: seededRng(0) });   // the same two batches every run
 */
export function batches<T>(items: readonly T[], batchSize: number, options: BatchOptions = {}): T[][] {
  const list: unknown = items; // Array.isArray(items) would narrow a readonly T[] to any[]
  if (!Array.isArray(list))
    throw new TypeError(`batches(items, batchSize): items must be an array, got ${describeForError(items)}.`);
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError(
      `batches(items, batchSize): batchSize must be a positive integer, got ${describeForError(batchSize)}.`,
    );
  const where = 'batches(items, batchSize, options)';
  const given = optionsObject(where, options);
  const shuffle = booleanOption(where, 'shuffle', given.shuffle, false);
  const dropLast = booleanOption(where, 'dropLast', given.dropLast, false);
  const rng = rngOption(where, given.rng);
  if (shuffle && rng === undefined)
    throw new TypeError(`${where}: shuffle needs an rng (e.g. seededRng(0)) so that runs reproduce.`);
  const ordered = shuffle ? shuffled(items, rng!) : [...items];
  const result = chunk(ordered, batchSize);
  return dropLast && result.length > 0 && result[result.length - 1].length < batchSize ? result.slice(0, -1) : result;
}
