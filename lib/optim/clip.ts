/**
 * Gradient clipping, in place on `.grad` (the trailing `_` says so), with PyTorch's formulas.
 * Only parameters that require grad take part; a gradient that carries a graph (`gradValue`,
 * after `backward(1, { createGraph: true })`) is scaled or clamped along with `.grad`. A non-finite total norm is reported (returned,
 * or thrown on request) and never multiplied into the gradients.
 */
import { describeForError } from '../engine/errors';
import { noGrad } from '../engine/modes';
import { extrasOf } from '../engine/node';
import { Value } from '../engine/value';
import { Tensor } from '../tensor/tensor';
import type { Parameter } from './optimizer';
import { booleanOption, optionsObject } from '../util/options';

/** Options for `clipGradNorm_`. */
export interface ClipGradNormOptions {
  /** Throw instead of returning when the total norm is NaN or ±Infinity (PyTorch's `error_if_nonfinite`). Default false. */
  errorIfNonfinite?: boolean;
}

/** The parameters that take part: those that require grad (and, for Tensors, have a grad). */
function gradsOf(where: string, params: Iterable<Parameter>): Parameter[] {
  if (params === null || params === undefined || typeof params[Symbol.iterator] !== 'function') {
    throw new TypeError(`${where}: params must be an iterable of Values or Tensors, got ${describeForError(params)}.`);
  }
  const list = [...params];
  list.forEach((p, i) => {
    if (!(p instanceof Value) && !(p instanceof Tensor))
      throw new TypeError(`${where}: params[${i}] must be a Value or a Tensor, got ${describeForError(p)}.`);
  });
  // Tensor grads are read through `_grad`: library reads leave them private (tensor/grad-slot.ts).
  return list.filter((p) => p.requiresGrad && (p instanceof Value || p._grad !== null));
}

/**
 * Applies `f` to every element of a Tensor parameter's grad: in place (bumping its version)
 * when the grad carries no graph, else as a new recorded grad (a createGraph pass's).
 */
function mapTensorGrad(p: Tensor, inPlace: (g: Tensor) => void, recorded: (g: Tensor) => Tensor): void {
  const g = p._grad!;
  if (g.requiresGrad) p.grad = recorded(g);
  else noGrad(() => inPlace(g));
}

/** Every gradient element of the parameters, for the norm. */
function* gradElements(live: Parameter[]): Generator<ArrayLike<number>> {
  for (const p of live) yield p instanceof Tensor ? p._grad!._data : [p.grad];
}

/**
 * Scales the gradients so that their total `normType`-norm (2 by default; `Infinity` for the
 * largest |g|) is at most `maxNorm`: each grad is multiplied by
 * `min(1, maxNorm / (norm + 1e-6))`. Returns the total norm before clipping. If that norm is
 * NaN or infinite the gradients are left as they are (and an Error is thrown if
 * `errorIfNonfinite`), so a single bad gradient is reported instead of spread to all.
 *
 * @example
 * const [a, b] = [new Value(0), new Value(0)];
 * a.grad = 3; b.grad = 4;
 * clipGradNorm_([a, b], 1);             // 5; now a.grad = 0.599999880000024, b.grad = 0.799999840000032
 */
export function clipGradNorm_(
  params: Iterable<Parameter>,
  maxNorm: number,
  normType: number = 2,
  options: ClipGradNormOptions = {},
): number {
  const where = 'clipGradNorm_(params, maxNorm, normType)';
  const live = gradsOf(where, params);
  const errorIfNonfinite = booleanOption(
    where,
    'errorIfNonfinite',
    optionsObject(where, options).errorIfNonfinite,
    false,
  );
  if (typeof maxNorm !== 'number' || !(maxNorm >= 0))
    throw new RangeError(`${where}: maxNorm must be a number >= 0, got ${describeForError(maxNorm)}.`);
  if (typeof normType !== 'number' || !(normType > 0))
    throw new RangeError(
      `${where}: normType must be a positive number or Infinity, got ${describeForError(normType)}.`,
    );
  const norm = totalNorm(gradElements(live), normType);
  if (!Number.isFinite(norm)) {
    if (errorIfNonfinite) {
      throw new Error(
        `clipGradNorm_: the total ${normType}-norm of the gradients is ${norm}; gradients were left unchanged. Look for a NaN or Infinity gradient (detectAnomaly helps).`,
      );
    }
    return norm;
  }
  const coefficient = Math.min(maxNorm / (norm + 1e-6), 1);
  for (const p of live) {
    if (p instanceof Tensor) {
      const c = p._grad!.dtype === 'float32' ? Math.fround(coefficient) : coefficient;
      mapTensorGrad(
        p,
        (g) => g.mul_(c),
        (g) => g.mul(c),
      );
      continue;
    }
    p.grad = p.grad * coefficient;
    // A gradient with a graph (from a createGraph pass) is scaled too, so gradValue.data === grad.
    if (p.gradValue !== null) extrasOf(p).gradValue = p.gradValue.mul(coefficient);
  }
  return norm;
}

/** The total norm of all elements, accumulated in float64. */
function totalNorm(grads: Iterable<ArrayLike<number>>, normType: number): number {
  if (normType === Infinity) {
    let largest = 0;
    for (const gs of grads)
      for (let i = 0; i < gs.length; i++) {
        const g = gs[i];
        largest = Number.isNaN(g) || Number.isNaN(largest) ? NaN : Math.max(largest, Math.abs(g));
      }
    return largest;
  }
  let sum = 0;
  if (normType === 2) {
    for (const gs of grads) for (let i = 0; i < gs.length; i++) sum += gs[i] * gs[i];
    return Math.sqrt(sum);
  }
  for (const gs of grads) for (let i = 0; i < gs.length; i++) sum += Math.abs(gs[i]) ** normType;
  return sum ** (1 / normType);
}

/**
 * Clamps every gradient into [-clipValue, clipValue] (NaN stays NaN).
 *
 * @example
 * const [a, b] = [new Value(0), new Value(0)];
 * a.grad = 3; b.grad = -4;
 * clipGradValue_([a, b], 0.5);          // a.grad = 0.5, b.grad = -0.5
 */
export function clipGradValue_(params: Iterable<Parameter>, clipValue: number): void {
  const where = 'clipGradValue_(params, clipValue)';
  const live = gradsOf(where, params);
  if (typeof clipValue !== 'number' || !(clipValue >= 0))
    throw new RangeError(`${where}: clipValue must be a number >= 0, got ${describeForError(clipValue)}.`);
  for (const p of live) {
    if (p instanceof Tensor) {
      mapTensorGrad(
        p,
        (g) => g.clamp_(-clipValue, clipValue),
        (g) => g.clamp(-clipValue, clipValue),
      );
      continue;
    }
    p.grad = Math.min(Math.max(p.grad, -clipValue), clipValue);
    if (p.gradValue !== null) extrasOf(p).gradValue = p.gradValue.clamp(-clipValue, clipValue);
  }
}
