/**
 * The base of the tensor layers (`nn.Module`), the options they share (random source, seed,
 * dtype), and PyTorch's default initialisation: weights from Kaiming-uniform with a = sqrt(5)
 * and biases from U(±1/sqrt(fan_in)), which both come to U(±1/sqrt(fan_in)).
 */
import type { DType } from '../../backends/backend';
import { seededRng, type Rng } from '../../data/random';
import { describeForError } from '../../engine/errors';
import { zeros } from '../../tensor/create';
import type { Tensor } from '../../tensor/tensor';
import { optionsObject, rngOption } from '../../util/options';
import { Module } from '../module';

/**
 * The base of tensor modules (PyTorch's nn.Module): subclasses list parameters and submodules
 * in `members()` and compute in `forward(x)`; `call(x)` is the same (the scalar layers' name).
 *
 * @example
 * class TwoLayer extends nn.Module {
 *   fc1 = new nn.Linear(4, 8);
 *   fc2 = new nn.Linear(8, 2);
 *   protected members() { return { fc1: this.fc1, fc2: this.fc2 }; }
 *   forward(x: Tensor) { return this.fc2.forward(this.fc1.forward(x).relu()); }
 * }
 * new TwoLayer().namedParameters().map(([n]) => n);   // ['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']
 */
export abstract class TensorModule extends Module<Tensor> {
  /** The module's output for input `x`. */
  abstract forward(x: Tensor): Tensor;

  /**
   * Same as `forward(x)`.
   *
   * @example
   * new nn.ReLU().call(tensor([-1, 2])).toArray();   // [0, 2]
   */
  call(x: Tensor): Tensor {
    return this.forward(x);
  }
}

/** Options shared by layers with parameters. */
export interface ParameterOptions {
  /** Random source for the initial parameters (default: the `nn` generator, see `manualSeed`). */
  rng?: Rng;
  /** Shorthand for `rng: seededRng(seed)`. */
  seed?: number;
  /** Parameters' dtype: 'float32' (default) or 'float64'. */
  dtype?: DType;
}

let generator: Rng = /* @__PURE__ */ seededRng(0);

/**
 * Restarts the generator the `nn` layers draw from when given no `rng` or `seed` (PyTorch's
 * torch.manual_seed): the same seed and the same construction order give the same model.
 *
 * @example
 * nn.manualSeed(0); const a = new nn.Linear(2, 2);
 * nn.manualSeed(0); const b = new nn.Linear(2, 2);   // b's weights equal a's
 */
export function manualSeed(seed: number): void {
  generator = seededRng(seed);
}

/** The layer options checked: the random source and dtype. @internal */
export function initOptions(where: string, options: ParameterOptions | undefined): { rng: Rng; dtype: DType } {
  const given = optionsObject(where, options);
  const { seed, dtype = 'float32' } = given;
  if (seed !== undefined && given.rng !== undefined) throw new TypeError(`${where}: give rng or seed, not both.`);
  if (seed !== undefined && (typeof seed !== 'number' || !Number.isFinite(seed)))
    throw new TypeError(`${where}: seed must be a finite number, got ${describeForError(seed)}.`);
  if (dtype !== 'float32' && dtype !== 'float64')
    throw new TypeError(`${where}: dtype must be 'float32' or 'float64', got ${describeForError(dtype)}.`);
  const rng = seed !== undefined ? seededRng(seed) : rngOption(where, given.rng, generator);
  // Read the generator at call time: manualSeed replaces it.
  return { rng: given.rng === undefined && seed === undefined ? () => generator() : rng, dtype };
}

/** A parameter of `shape` with elements from U(-bound, bound), drawn in row-major order. @internal */
export function uniformParameter(shape: readonly number[], bound: number, rng: Rng, dtype: DType): Tensor {
  const t = zeros(shape, { dtype });
  const data = t._data;
  for (let i = 0; i < data.length; i++) data[i] = (rng() * 2 - 1) * bound;
  return t.requiresGrad_();
}

/** A parameter of `shape` filled with `value` (BatchNorm's and LayerNorm's weight 1, bias 0). @internal */
export function filledParameter(shape: readonly number[], value: number, dtype: DType): Tensor {
  const t = zeros(shape, { dtype });
  if (value !== 0) t._data.fill(value);
  return t.requiresGrad_();
}

/** Throws a RangeError unless `n` is a positive integer (or >= 0 with `allowZero`). @internal */
export function checkCount(where: string, name: string, n: unknown, allowZero = false): number {
  if (!Number.isInteger(n) || (n as number) < (allowZero ? 0 : 1))
    throw new RangeError(
      `${where}: ${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got ${describeForError(n)}.`,
    );
  return n as number;
}
