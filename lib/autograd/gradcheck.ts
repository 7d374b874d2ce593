/**
 * `gradcheck`: compares analytic gradients (and, on request, second derivatives) with central
 * finite differences, and names the worst mismatch.
 */
import { describeForError } from '../engine/errors';
import { noGrad } from '../engine/modes';
import { Value } from '../engine/value';
import { tensor } from '../tensor/create';
import { Tensor } from '../tensor/tensor';
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

/** A function `gradcheck` differentiates: Values (for number inputs) and Tensors in, a Value or one-element Tensor out. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CheckedFunction = (...xs: any[]) => Value | Tensor;

/**
 * Checks `f`'s analytic gradient at `inputs` against central differences
 * `(f(x + eps) - f(x - eps)) / 2eps`; with `secondOrder`, also the gradient of each first
 * derivative (through `createGraph`) against differences of the analytic first derivatives.
 * Inputs are numbers (passed to `f` as Values) or Tensors (passed as float64 leaves of the same
 * shape, every element checked; `input` in the result counts elements across all inputs).
 *
 * @example
 * gradcheck((x, y) => x.mul(y).tanh(), [0.3, -1.2]);   // { ok: true, maxError: ~1e-10, worst: {...} }
 */
export function gradcheck(
  f: CheckedFunction,
  inputs: readonly (number | Tensor)[],
  options: GradcheckOptions = {},
): GradcheckResult {
  if (typeof f !== 'function')
    throw new TypeError(`gradcheck(f, inputs): f must be a function, got ${describeForError(f)}.`);
  if (!Array.isArray(inputs) || !inputs.every((x) => typeof x === 'number' || x instanceof Tensor)) {
    throw new TypeError(
      `gradcheck(f, inputs): inputs must be an array of numbers and Tensors, got ${describeForError(inputs)}.`,
    );
  }
  const where = 'gradcheck(f, inputs, options)';
  const given = optionsObject(where, options);
  const eps = numberOption(where, 'eps', given.eps, 1e-6, true);
  const atol = numberOption(where, 'atol', given.atol, 1e-5);
  const rtol = numberOption(where, 'rtol', given.rtol, 1e-3);
  const secondOrder = booleanOption(where, 'secondOrder', given.secondOrder, false);
  const layout = new Layout(inputs);
  const point = layout.flatten(inputs);
  const entries: GradcheckEntry[] = [];
  const first = firstDerivatives(f, layout, point);
  point.forEach((_, i) => {
    const numeric =
      (evaluate(f, layout, shifted(point, i, eps)) - evaluate(f, layout, shifted(point, i, -eps))) / (2 * eps);
    entries.push({ input: i, analytic: first[i], numeric, order: 1 });
  });
  if (secondOrder) {
    point.forEach((_, i) => {
      const second = secondDerivatives(f, layout, point, i);
      point.forEach((__, j) => {
        const numeric =
          (firstDerivatives(f, layout, shifted(point, j, eps))[i] -
            firstDerivatives(f, layout, shifted(point, j, -eps))[i]) /
          (2 * eps);
        entries.push({ input: j, analytic: second[j], numeric, order: 2, of: i });
      });
    });
  }
  return summarise(entries, atol, rtol);
}

/** How a flat vector of numbers maps onto `f`'s arguments: a Value per number, a float64 Tensor per Tensor. */
class Layout {
  private readonly shapes: (readonly number[] | null)[];

  constructor(inputs: readonly (number | Tensor)[]) {
    this.shapes = inputs.map((x) => (x instanceof Tensor ? x.shape : null));
  }

  flatten(inputs: readonly (number | Tensor)[]): number[] {
    return inputs.flatMap((x) => (x instanceof Tensor ? Array.from(x._data) : [x]));
  }

  /** Leaves for the point `xs`; `requiresGrad` makes them differentiable. */
  leaves(xs: readonly number[], requiresGrad: boolean): (Value | Tensor)[] {
    let offset = 0;
    return this.shapes.map((shape) => {
      if (shape === null) return new Value(xs[offset++], { requiresGrad });
      const size = shape.reduce((p, d) => p * d, 1);
      const t = tensor(Float64Array.from(xs.slice(offset, offset + size)), { shape, requiresGrad });
      offset += size;
      return t;
    });
  }

  /** The gradients of `leaves`, flattened in the same order. */
  flattenGrads(grads: readonly (Value | Tensor)[]): number[] {
    return grads.flatMap((g) => (g instanceof Tensor ? Array.from(g._data) : [g.data]));
  }
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

function evaluate(f: CheckedFunction, layout: Layout, xs: number[]): number {
  return noGrad(() => {
    const out = output(f, layout.leaves(xs, false));
    return out instanceof Tensor ? out.item() : out.data;
  });
}

function firstDerivatives(f: CheckedFunction, layout: Layout, xs: number[]): number[] {
  const leaves = layout.leaves(xs, true);
  return layout.flattenGrads(grad(output(f, leaves), leaves, { allowUnused: true }));
}

/** d/dx_j of df/dx_i for every j: the i-th first derivative (an element of some input) differentiated again. */
function secondDerivatives(f: CheckedFunction, layout: Layout, xs: number[], i: number): number[] {
  const leaves = layout.leaves(xs, true);
  const firsts = grad(output(f, leaves), leaves, { createGraph: true, allowUnused: true });
  // Pick element i of the flattened first derivatives as one differentiable scalar.
  let offset = i;
  for (const g of firsts) {
    const size = g instanceof Tensor ? g.size : 1;
    if (offset < size) {
      const pick = g instanceof Tensor ? g.reshape([size]).toValues()[offset] : g;
      if (!pick.requiresGrad) return xs.map(() => 0);
      return layout.flattenGrads(grad(pick, leaves, { allowUnused: true }));
    }
    offset -= size;
  }
  throw new RangeError(`gradcheck: no input element ${i}.`);
}

function output(f: CheckedFunction, xs: (Value | Tensor)[]): Value | Tensor {
  const out = f(...xs);
  if (!(out instanceof Value) && !(out instanceof Tensor && out.size === 1)) {
    throw new TypeError(
      `gradcheck: f must return a Value or a one-element Tensor, but returned ${out instanceof Tensor ? `a Tensor of shape [${out.shape.join(', ')}]` : describeForError(out)}.`,
    );
  }
  return out;
}
