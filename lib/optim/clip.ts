/**
 * Gradient clipping, in place on `.grad` (the trailing `_` says so), with PyTorch's formulas.
 * Only parameters that require grad take part; a gradient that carries a graph (`gradValue`,
 * after `backward(1, { createGraph: true })`) is scaled or clamped along with `.grad`. A non-finite total norm is reported (returned,
 * or thrown on request) and never multiplied into the gradients.
 */
import { describeForError } from '../engine/errors';
import { extrasOf } from '../engine/node';
import { Value } from '../engine/value';
import { booleanOption, optionsObject } from '../util/options';

/** Options for `clipGradNorm_`. */
export interface ClipGradNormOptions {
  /** Throw instead of returning when the total norm is NaN or ±Infinity (PyTorch's `error_if_nonfinite`). Default false. */
  errorIfNonfinite?: boolean;
}

function gradsOf(where: string, params: Iterable<Value>): Value[] {
  if (params === null || params === undefined || typeof params[Symbol.iterator] !== 'function') {
    throw new TypeError(`${where}: params must be an iterable of Values, got ${describeForError(params)}.`);
  }
  const list = [...params];
  list.forEach((p, i) => {
    if (!(p instanceof Value))
      throw new TypeError(`${where}: params[${i}] must be a Value, got ${describeForError(p)}.`);
  });
  return list.filter((p) => p.requiresGrad);
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
  params: Iterable<Value>,
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
  const norm = totalNorm(
    live.map((p) => p.grad),
    normType,
  );
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
    p.grad = p.grad * coefficient;
    // A gradient with a graph (from a createGraph pass) is scaled too, so gradValue.data === grad.
    if (p.gradValue !== null) extrasOf(p).gradValue = p.gradValue.mul(coefficient);
  }
  return norm;
}

function totalNorm(grads: number[], normType: number): number {
  if (normType === Infinity) {
    let largest = 0;
    for (const g of grads) largest = Number.isNaN(g) || Number.isNaN(largest) ? NaN : Math.max(largest, Math.abs(g));
    return largest;
  }
  let sum = 0;
  if (normType === 2) {
    for (const g of grads) sum += g * g;
    return Math.sqrt(sum);
  }
  for (const g of grads) sum += Math.abs(g) ** normType;
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
export function clipGradValue_(params: Iterable<Value>, clipValue: number): void {
  const where = 'clipGradValue_(params, clipValue)';
  const live = gradsOf(where, params);
  if (typeof clipValue !== 'number' || !(clipValue >= 0))
    throw new RangeError(`${where}: clipValue must be a number >= 0, got ${describeForError(clipValue)}.`);
  for (const p of live) {
    p.grad = Math.min(Math.max(p.grad, -clipValue), clipValue);
    if (p.gradValue !== null) extrasOf(p).gradValue = p.gradValue.clamp(-clipValue, clipValue);
  }
}
