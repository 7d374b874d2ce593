/** Creating tensors: from data, filled, ranges, identity, and seeded random. */
import { describeForError } from '../engine/errors';
import { extrasOf } from '../engine/node';
import type { DType } from '../backends/backend';
import { gaussian, type Rng } from '../data/random';
import { currentBackend } from './backend-choice';
import { type Shape, checkShape, formatShape, sizeOf } from './shape';
import { Tensor } from './tensor';

/** Options shared by the creation functions. */
export interface TensorOptions {
  /** 'float32' (default) or 'float64'. */
  dtype?: DType;
  /** Whether gradients flow into the new leaf (default false, as in PyTorch). */
  requiresGrad?: boolean;
  /** A name for printing and drawing. */
  label?: string;
}

/** Options of `tensor(data, options)`: with a flat typed array or number array, `shape` says how to read it. */
export interface TensorDataOptions extends TensorOptions {
  shape?: readonly number[];
}

/** Nested arrays of numbers. */
export type NestedNumbers = number | readonly NestedNumbers[];

/**
 * A new leaf tensor from a number, nested arrays, or a flat (typed) array plus `shape`.
 * Data is copied.
 *
 * @example
 * tensor([[1, 2], [3, 4]]).shape;                         // [2, 2]
 * tensor(new Float64Array([1, 2, 3, 4]), { shape: [2, 2] }).dtype;   // 'float64'
 */
export function tensor(data: NestedNumbers | Float32Array | Float64Array, options: TensorDataOptions = {}): Tensor {
  checkOptions('tensor', options);
  const typed = data instanceof Float32Array || data instanceof Float64Array;
  const dtype = options.dtype ?? (data instanceof Float64Array ? 'float64' : 'float32');
  let shape: number[];
  let flat: ArrayLike<number>;
  if (options.shape !== undefined) {
    shape = checkShape('tensor', options.shape);
    flat = typed ? data : typeof data === 'number' ? [data] : flatten(data, []);
    if (flat.length !== sizeOf(shape))
      throw new RangeError(
        `tensor(): ${flat.length} values cannot fill shape ${formatShape(shape)} (${sizeOf(shape)} elements).`,
      );
  } else if (typed) {
    shape = [(data as Float32Array).length];
    flat = data;
  } else {
    shape = inferShape(data);
    flat = typeof data === 'number' ? [data] : flatten(data, []);
  }
  return finish(new Tensor(currentBackend().fromArray(dtype, flat), shape), options);
}

/** @example zeros([2, 3]).toArray()   // [[0, 0, 0], [0, 0, 0]] */
export function zeros(shape: readonly number[], options: TensorOptions = {}): Tensor {
  return full(shape, 0, options);
}

/** @example ones([2]).toArray()   // [1, 1] */
export function ones(shape: readonly number[], options: TensorOptions = {}): Tensor {
  return full(shape, 1, options);
}

/** @example full([2], 7).toArray()   // [7, 7] */
export function full(shape: readonly number[], value: number, options: TensorOptions = {}): Tensor {
  checkOptions('full', options);
  if (typeof value !== 'number')
    throw new TypeError(`full(shape, value): value must be a number, got ${describeForError(value)}.`);
  const dims = checkShape('full', shape);
  const storage = currentBackend().alloc(options.dtype ?? 'float32', sizeOf(dims));
  if (value !== 0) storage.view().fill(value);
  return finish(new Tensor(storage, dims), options);
}

/** A tensor of zeros with `t`'s shape and dtype. @example zerosLike(ones([2])).toArray()   // [0, 0] */
export function zerosLike(t: Tensor, options: TensorOptions = {}): Tensor {
  return full(t.shape, 0, { dtype: t.dtype, ...options });
}

/** A tensor of ones with `t`'s shape and dtype. @example onesLike(zeros([2])).toArray()   // [1, 1] */
export function onesLike(t: Tensor, options: TensorOptions = {}): Tensor {
  return full(t.shape, 1, { dtype: t.dtype, ...options });
}

/** The n×m identity matrix (m defaults to n). @example eye(2).toArray()   // [[1, 0], [0, 1]] */
export function eye(n: number, m: number = n, options: TensorOptions = {}): Tensor {
  const t = zeros([n, m], options);
  const data = t._data;
  for (let i = 0; i < Math.min(n, m); i++) data[i * m + i] = 1;
  return t;
}

/** start, start + step, ... below end. @example arange(0, 5, 2).toArray()   // [0, 2, 4] */
export function arange(start: number, end?: number, step = 1, options: TensorOptions = {}): Tensor {
  if (end === undefined) [start, end] = [0, start];
  if (![start, end, step].every(Number.isFinite) || step === 0)
    throw new RangeError(
      `arange(start, end, step): expected finite numbers and a non-zero step, got ${start}, ${end}, ${step}.`,
    );
  const n = Math.max(0, Math.ceil((end - start) / step));
  const t = zeros([n], options);
  for (let i = 0; i < n; i++) t._data[i] = start + i * step;
  return t;
}

/** `steps` evenly spaced values from start to end inclusive. @example linspace(0, 1, 3).toArray()   // [0, 0.5, 1] */
export function linspace(start: number, end: number, steps: number, options: TensorOptions = {}): Tensor {
  if (!Number.isInteger(steps) || steps < 0)
    throw new RangeError(`linspace(start, end, steps): steps must be a non-negative integer, got ${steps}.`);
  const t = zeros([steps], options);
  for (let i = 0; i < steps; i++) t._data[i] = steps === 1 ? start : start + ((end - start) * i) / (steps - 1);
  return t;
}

/** Options of `rand`/`randn`: the seeded generator (`seededRng(seed)`) is required, so results reproduce. */
export interface RandomOptions extends TensorOptions {
  rng: Rng;
}

/** Uniform in [0, 1). @example rand([2], { rng: seededRng(1) }).shape   // [2] */
export function rand(shape: readonly number[], options: RandomOptions): Tensor {
  const rng = checkRng('rand', options);
  const t = zeros(shape, { ...options, requiresGrad: false });
  const data = t._data;
  for (let i = 0; i < data.length; i++) data[i] = rng();
  return finish(t, options);
}

/** Standard normal. @example randn([2, 2], { rng: seededRng(1) }).shape   // [2, 2] */
export function randn(shape: readonly number[], options: RandomOptions): Tensor {
  const rng = checkRng('randn', options);
  const t = zeros(shape, { ...options, requiresGrad: false });
  const data = t._data;
  for (let i = 0; i < data.length; i++) data[i] = gaussian(rng);
  return finish(t, options);
}

function checkRng(op: string, options: RandomOptions): Rng {
  if (typeof options !== 'object' || options === null || typeof options.rng !== 'function') {
    throw new TypeError(
      `${op}(shape, { rng }): rng must be a random source such as seededRng(42), got ${describeForError(options?.rng)}.`,
    );
  }
  return options.rng;
}

function finish(t: Tensor, options: TensorOptions): Tensor {
  if (options.requiresGrad === true) t.requiresGrad_(true);
  if (options.label !== undefined && options.label !== '') extrasOf(t).label = options.label;
  return t;
}

function checkOptions(op: string, options: TensorDataOptions): void {
  if (typeof options !== 'object' || options === null)
    throw new TypeError(`${op}(): options must be an object, got ${describeForError(options)}.`);
  const { dtype, requiresGrad, label } = options;
  if (dtype !== undefined && dtype !== 'float32' && dtype !== 'float64')
    throw new TypeError(`${op}(): dtype must be 'float32' or 'float64', got ${describeForError(dtype)}.`);
  if (requiresGrad !== undefined && typeof requiresGrad !== 'boolean')
    throw new TypeError(`${op}(): requiresGrad must be a boolean, got ${describeForError(requiresGrad)}.`);
  if (label !== undefined && typeof label !== 'string')
    throw new TypeError(`${op}(): label must be a string, got ${describeForError(label)}.`);
}

function inferShape(data: unknown): number[] {
  const shape: number[] = [];
  let level: unknown = data;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0];
  }
  return shape;
}

function flatten(data: readonly NestedNumbers[], path: number[]): number[] {
  const shape = inferShape(data);
  const out: number[] = [];
  const walk = (node: unknown, dim: number, where: number[]): void => {
    if (dim === shape.length) {
      if (typeof node !== 'number')
        throw new TypeError(
          `tensor(): expected a number at index [${where.join('][')}], got ${describeForError(node)}.`,
        );
      out.push(node);
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[dim]) {
      throw new RangeError(
        `tensor(): ragged nested arrays: the entry at index [${where.join('][')}] ${Array.isArray(node) ? `has length ${node.length}` : `is ${describeForError(node)}`}, ` +
          `but the first entry at that depth has length ${shape[dim]}. Every row must have the same length.`,
      );
    }
    for (let i = 0; i < node.length; i++) walk(node[i], dim + 1, [...where, i]);
  };
  walk(data, 0, path);
  return out;
}

export type { Shape };
