/**
 * The tensor MLP benchmark task: an MLP 784-128-10 (relu hidden layer, linear output) on one
 * batch of 64 seeded inputs in [0, 1) with seeded labels 0..9, loss = mean softmax cross-entropy,
 * plain SGD with lr 0.1. One step = forward + backward + SGD update, returning the loss before
 * the update. Every engine starts from the same weights (stored [in, out], row-major), so the
 * losses of all engines agree to float32 rounding.
 */
import { seededRng } from '../../lib/data/random';

export const INPUTS = 784;
export const HIDDEN = 128;
export const CLASSES = 10;
export const BATCH = 64;
export const LEARNING_RATE = 0.1;

/** Data and initial parameters, as plain float64 arrays (each engine converts them). */
export interface TensorMlpTask {
  /** [BATCH, INPUTS] row-major. */
  x: Float64Array;
  /** BATCH class indices. */
  labels: Int32Array;
  /** [INPUTS, HIDDEN], [HIDDEN], [HIDDEN, CLASSES], [CLASSES]; PyTorch's Linear init, uniform(±1/sqrt(fan_in)), rounded to float32. */
  w1: Float64Array;
  b1: Float64Array;
  w2: Float64Array;
  b2: Float64Array;
}

/** One engine's step for the task. */
export interface TensorMlpEngine {
  name: string;
  /** forward + backward + SGD update; returns the loss before the update. */
  step(): number;
}

/** Builds an engine from the task (a fresh copy of the initial weights). */
export type TensorMlpFactory = (task: TensorMlpTask) => TensorMlpEngine | Promise<TensorMlpEngine>;

export function tensorMlpTask(): TensorMlpTask {
  const rng = seededRng(2024);
  const uniform = (length: number, bound: number) =>
    Float64Array.from({ length }, () => Math.fround((rng() * 2 - 1) * bound));
  const x = Float64Array.from({ length: BATCH * INPUTS }, () => Math.fround(rng()));
  const labels = Int32Array.from({ length: BATCH }, () => Math.floor(rng() * CLASSES));
  const w1 = uniform(INPUTS * HIDDEN, 1 / Math.sqrt(INPUTS));
  const b1 = uniform(HIDDEN, 1 / Math.sqrt(INPUTS));
  const w2 = uniform(HIDDEN * CLASSES, 1 / Math.sqrt(HIDDEN));
  const b2 = uniform(CLASSES, 1 / Math.sqrt(HIDDEN));
  return { x, labels, w1, b1, w2, b2 };
}

/** Nested arrays (rows) of a row-major matrix, for engines that take them. */
export function toRows(values: Float64Array, rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, (_, r) => Array.from(values.subarray(r * cols, (r + 1) * cols)));
}
