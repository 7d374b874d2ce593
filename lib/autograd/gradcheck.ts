/**
 * `gradcheck`: compares analytic gradients (and, on request, second derivatives) with central
 * finite differences, and names the worst mismatch.
 */
import { describeForError } from '../engine/errors';
import { noGrad } from '../engine/grad-mode';
import { Value } from '../engine/value';
import { grad } from './grad';
import { booleanOption, numberOption, optionsObject } from '../util/options';

/** Options for `gradcheck` (defaults are PyTorch's). */
export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance, times |numeric| (default 1e-3). */
  rtol?: number;
  /** Also check every second derivative d²f/dx_i dx_j (default false). */
  secondOrder?: boolean;
}

/** One compared derivative. `order` 2 means d/dx_input of d f/dx_of. */
export interface GradcheckEntry {
  input: number;
  analytic: number;
  numeric: number;
  order: 1 | 2;
  of?: number;
}

/** The outcome of `gradcheck`. */
export interface GradcheckResult {
  /** Whether every derivative is within atol + rtol * |numeric|. */
  ok: boolean;
  /** The largest |analytic - numeric| seen. */
  maxError: number;
  /** The derivative furthest outside (or closest to) its tolerance; null when there are no inputs. */
  worst: GradcheckEntry | null;
}

/**
 * Checks `f`'s analytic gradient at `inputs` against central differences
 * `(f(x + eps) - f(x - eps)) / 2eps`; with `secondOrder`, also the gradient of each first
 * derivative (through `createGraph`) against differences of the analytic first derivatives.
 *
 * @example
 * gradcheck((x, y) => x.mul(y).tanh(), [0.3, -1.2]);   // { ok: true, maxError: ~1e-10, worst: {...} }
 */
export function gradcheck(f: (...xs: Value[]) => Value, inputs: number[], options: GradcheckOptions = {}): GradcheckResult {
  if (typeof f !== 'function') throw new TypeError(`gradcheck(f, inputs): f must be a function, got ${describeForError(f)}.`);
  if (!Array.isArray(inputs) || !inputs.every((x) => typeof x === 'number')) {
    throw new TypeError(`gradcheck(f, inputs): inputs must be an array of numbers, got ${describeForError(inputs)}.`);
  }
  const where = 'gradcheck(f, inputs, options)';
  const given = optionsObject(where, options);
  const eps = numberOption(where, 'eps', given.eps, 1e-6, true);
  const atol = numberOption(where, 'atol', given.atol, 1e-5);
  const rtol = numberOption(where, 'rtol', given.rtol, 1e-3);
  const secondOrder = booleanOption(where, 'secondOrder', given.secondOrder, false);
  const entries: GradcheckEntry[] = [];
  const first = firstDerivatives(f, inputs);
  inputs.forEach((_, i) => {
    const numeric = (evaluate(f, shifted(inputs, i, eps)) - evaluate(f, shifted(inputs, i, -eps))) / (2 * eps);
    entries.push({ input: i, analytic: first[i], numeric, order: 1 });
  });
  if (secondOrder) {
    inputs.forEach((_, i) => {
      const second = secondDerivatives(f, inputs, i);
      inputs.forEach((__, j) => {
        const numeric = (firstDerivatives(f, shifted(inputs, j, eps))[i] - firstDerivatives(f, shifted(inputs, j, -eps))[i]) / (2 * eps);
        entries.push({ input: j, analytic: second[j], numeric, order: 2, of: i });
      });
    });
  }
  return summarise(entries, atol, rtol);
}

function summarise(entries: GradcheckEntry[], atol: number, rtol: number): GradcheckResult {
  let maxError = 0;
  let worst: GradcheckEntry | null = null;
  let worstExcess = -Infinity;
  let ok = true;
  for (const entry of entries) {
    const error = Math.abs(entry.analytic - entry.numeric);
    const tolerance = atol + rtol * Math.abs(entry.numeric);
    // NaN on either side is a mismatch, never a pass.
    const excess = Number.isNaN(error) ? Infinity : error - tolerance;
    if (!(excess <= 0)) ok = false;
    if (!(error <= maxError)) maxError = error;
    if (excess > worstExcess || worst === null) {
      worstExcess = excess;
      worst = entry;
    }
  }
  return { ok, maxError, worst };
}

function shifted(inputs: number[], i: number, by: number): number[] {
  return inputs.map((x, j) => (j === i ? x + by : x));
}

function evaluate(f: (...xs: Value[]) => Value, xs: number[]): number {
  return noGrad(() => output(f, xs.map((x) => new Value(x, { requiresGrad: false })))).data;
}

function firstDerivatives(f: (...xs: Value[]) => Value, xs: number[]): number[] {
  const leaves = xs.map((x) => new Value(x));
  return grad(output(f, leaves), leaves, { allowUnused: true }).map((g) => g.data);
}

function secondDerivatives(f: (...xs: Value[]) => Value, xs: number[], i: number): number[] {
  const leaves = xs.map((x) => new Value(x));
  const [dfdxi] = grad(output(f, leaves), [leaves[i]], { createGraph: true, allowUnused: true });
  return grad(dfdxi, leaves, { allowUnused: true }).map((g) => g.data);
}

function output(f: (...xs: Value[]) => Value, xs: Value[]): Value {
  const out = f(...xs);
  if (!(out instanceof Value)) throw new TypeError(`gradcheck: f must return a Value, but returned ${describeForError(out)}.`);
  return out;
}
