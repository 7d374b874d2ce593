/**
 * Gradient checks for tensor ops in float64: analytic gradients from `backward()` against
 * central finite differences, at first order, and at second order (the gradient of a
 * gradient recorded with `backward(…, { createGraph: true })` against finite differences of
 * the first-order gradient). Mismatches are collected and asserted as one list, so a failure
 * prints every wrong element with both numbers.
 */
import { Tensor, noGrad, tensor } from '../../lib';
import type { NestedNumbers } from '../../lib';

/** A function of float64 tensors under test. */
export type TensorFn = (...xs: Tensor[]) => Tensor;

/** Inputs: nested arrays (made float64 leaves) or float64 tensors (their data is used). */
export type Input = NestedNumbers | Tensor;

export interface CheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Allowed error, relative to max(1, |numeric|) (default 1e-6 at first order, 1e-5 at second). */
  tolerance?: number;
  /** Indices of the inputs to differentiate (default all). */
  wrt?: readonly number[];
}

/** Fixed, irregular weights, so every output element enters the checked loss differently. */
export function weights(shape: readonly number[], salt = 0): Tensor {
  const size = shape.reduce((p, d) => p * d, 1);
  const data = new Float64Array(size);
  for (let i = 0; i < size; i++) data[i] = Math.sin(1.3 * (i + 1) + 0.7 * salt) + 0.25;
  return tensor(data, { shape: shape.slice(), dtype: 'float64' });
}

function flatInputs(inputs: readonly Input[]): { data: Float64Array; shape: number[] }[] {
  return inputs.map((x) => {
    const t = x instanceof Tensor ? x : tensor(x, { dtype: 'float64' });
    if (t.dtype !== 'float64') throw new Error('tensor-gradcheck: inputs must be float64');
    return { data: Float64Array.from(t.data), shape: t.shape.slice() };
  });
}

function leaves(flat: readonly { data: Float64Array; shape: number[] }[], requiresGrad: boolean): Tensor[] {
  return flat.map(({ data, shape }) => tensor(Float64Array.from(data), { shape, dtype: 'float64', requiresGrad }));
}

/** sum(W ⊙ f(xs)): first-order checks see every output element with its own weight. */
function linearLoss(f: TensorFn, xs: Tensor[]): Tensor {
  const out = f(...xs);
  return out.mul(weights(out.shape)).sum();
}

/** sum(W ⊙ f(xs)²): under createGraph the gradient reaching f's rule carries a graph, so every rule's graph is differentiated. */
function squaredLoss(f: TensorFn, xs: Tensor[]): Tensor {
  const out = f(...xs);
  return out.mul(out).mul(weights(out.shape)).sum();
}

/** Central differences of the scalar `g` over every element of the inputs in `wrt`. */
function numericGradients(
  g: (flat: { data: Float64Array; shape: number[] }[]) => number,
  flat: { data: Float64Array; shape: number[] }[],
  wrt: readonly number[],
  eps: number,
): Float64Array[] {
  return wrt.map((k) => {
    const out = new Float64Array(flat[k].data.length);
    for (let i = 0; i < out.length; i++) {
      const at = (shift: number) => {
        const moved = flat.map(({ data, shape }, j) => {
          const copy = Float64Array.from(data);
          if (j === k) copy[i] += shift;
          return { data: copy, shape };
        });
        return g(moved);
      };
      out[i] = (at(eps) - at(-eps)) / (2 * eps);
    }
    return out;
  });
}

/** The first-order gradients of `loss` at `flat` (zeros where no gradient arrives), from one numeric backward pass. */
function analyticGradients(
  loss: (xs: Tensor[]) => Tensor,
  flat: { data: Float64Array; shape: number[] }[],
  wrt: readonly number[],
): Float64Array[] {
  const xs = leaves(flat, true);
  const l = loss(xs);
  if (l.requiresGrad) l.backward();
  return wrt.map((k) => gradData(xs[k]));
}

function gradData(x: Tensor): Float64Array {
  if (x.grad === null) return new Float64Array(x.size);
  if (x.grad.dtype !== 'float64') throw new Error(`tensor-gradcheck: gradient dtype ${x.grad.dtype}, expected float64`);
  if (x.grad.shape.join() !== x.shape.join())
    throw new Error(
      `tensor-gradcheck: gradient shape [${x.grad.shape.join(', ')}] for an input of shape [${x.shape.join(', ')}]`,
    );
  return Float64Array.from(x.grad.data);
}

function compare(
  what: string,
  analytic: Float64Array[],
  numeric: Float64Array[],
  wrt: readonly number[],
  tolerance: number,
): string[] {
  const bad: string[] = [];
  analytic.forEach((a, n) => {
    for (let i = 0; i < a.length; i++) {
      const scale = Math.max(1, Math.abs(numeric[n][i]));
      if (!(Math.abs(a[i] - numeric[n][i]) <= tolerance * scale))
        bad.push(`${what} input ${wrt[n]} element ${i}: analytic ${a[i]}, numeric ${numeric[n][i]}`);
    }
  });
  return bad;
}

/**
 * Checks the first-order gradients of `f` at `inputs` against central differences; returns the
 * list of mismatches (empty when all agree) for `expect(...).toEqual([])`.
 */
export function gradMismatches(f: TensorFn, inputs: readonly Input[], options: CheckOptions = {}): string[] {
  const { eps = 1e-6, tolerance = 1e-6 } = options;
  const flat = flatInputs(inputs);
  const wrt = options.wrt ?? flat.map((_, i) => i);
  const analytic = analyticGradients((xs) => linearLoss(f, xs), flat, wrt);
  const numeric = numericGradients((moved) => noGrad(() => linearLoss(f, leaves(moved, false)).item()), flat, wrt, eps);
  return compare('first order', analytic, numeric, wrt, tolerance);
}

/**
 * Checks second-order gradients of `f`: with L = sum(W ⊙ f²), the gradient ∂L/∂x is
 * recorded with `createGraph`, G = Σ sum(V ⊙ ∂L/∂x) is differentiated again, and ∂G/∂x is
 * compared with central differences of G computed from first-order gradients. Returns the
 * mismatches; also fails when the recorded gradient carries no graph though G is not constant.
 */
export function secondOrderMismatches(f: TensorFn, inputs: readonly Input[], options: CheckOptions = {}): string[] {
  const { eps = 1e-5, tolerance = 1e-5 } = options;
  const flat = flatInputs(inputs);
  const wrt = options.wrt ?? flat.map((_, i) => i);
  const v = wrt.map((k, n) => weights(flat[k].shape, n + 1));
  const combine = (grads: readonly Float64Array[]) =>
    grads.reduce((s, g, n) => g.reduce((t, x, i) => t + x * v[n].data[i], s), 0);

  // Analytic: record the first-order gradient, then differentiate it.
  const xs = leaves(flat, true);
  squaredLoss(f, xs).backward(undefined, { createGraph: true });
  const firstGrads = wrt.map((k) => xs[k].grad);
  let g: Tensor | null = null;
  firstGrads.forEach((gk, n) => {
    if (gk === null) return;
    const term = gk.mul(v[n]).sum();
    g = g === null ? term : g.add(term);
  });
  for (const x of xs) x.zeroGrad();
  const bad: string[] = [];
  const graphG = g as Tensor | null;
  if (graphG !== null && graphG.requiresGrad) graphG.backward();
  const analytic = wrt.map((k) => gradData(xs[k]));

  // Numeric: central differences of G evaluated from numeric first-order gradients.
  const numeric = numericGradients(
    (moved) => combine(analyticGradients((ys) => squaredLoss(f, ys), moved, wrt)),
    flat,
    wrt,
    eps,
  );
  if ((graphG === null || !graphG.requiresGrad) && numeric.some((n) => n.some((x) => Math.abs(x) > tolerance))) {
    bad.push('the gradient recorded under createGraph carries no graph, but the second derivative is not zero');
  }
  return bad.concat(compare('second order', analytic, numeric, wrt, tolerance));
}

/** Asserts both checks for `f` at `inputs`. */
export function expectGradientsMatch(f: TensorFn, inputs: readonly Input[], options: CheckOptions = {}): void {
  expect(gradMismatches(f, inputs, options)).toEqual([]);
}

/** Asserts the second-order check for `f` at `inputs`. */
export function expectSecondOrderMatch(f: TensorFn, inputs: readonly Input[], options: CheckOptions = {}): void {
  expect(secondOrderMismatches(f, inputs, options)).toEqual([]);
}

/** A float64 tensor from nested arrays (a constant unless `requiresGrad`). */
export function f64(data: NestedNumbers, requiresGrad = false): Tensor {
  return tensor(data, { dtype: 'float64', requiresGrad });
}

/** Expects `actual` (a Tensor) to hold `expected` (nested arrays) to `tolerance` (relative above 1), shape included. */
export function expectTensorClose(actual: Tensor, expected: NestedNumbers, tolerance = 1e-12): void {
  const want = tensor(expected, { dtype: 'float64' });
  expect(actual.shape).toEqual(want.shape);
  const bad: string[] = [];
  for (let i = 0; i < want.size; i++) {
    if (!(Math.abs(actual.data[i] - want.data[i]) <= tolerance * Math.max(1, Math.abs(want.data[i]))))
      bad.push(`element ${i}: ${actual.data[i]} vs ${want.data[i]}`);
  }
  expect(bad).toEqual([]);
}
