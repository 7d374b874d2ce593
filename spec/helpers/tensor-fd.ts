/**
 * Central finite differences for tensor ops in float64. For an op `f` of tensors, the scalar
 * checked is L = sum(f(xs) * w) with fixed random weights w (so every output element counts,
 * each differently); every element of every input is perturbed by ±h. Second order: the
 * gradient of M = sum_i sum(dL/dx_i * w2_i) taken through createGraph, against central
 * differences of M computed from first-order gradients.
 */
import { type Tensor, noGrad, randn, seededRng, tensor } from '../../lib';

export type TensorFn = (...xs: Tensor[]) => Tensor;

export interface FdOptions {
  /** Relative tolerance (absolute below 1); default 1e-6. */
  tolerance?: number;
  /** The finite-difference step; default 1e-6. */
  h?: number;
  /** Seed of the random weights. */
  seed?: number;
}

/** A float64 copy of `t` as a leaf (requiring grad if asked). */
function leaf(t: Tensor, requiresGrad: boolean): Tensor {
  return tensor(Float64Array.from(t.data), { shape: t.shape, dtype: 'float64', requiresGrad });
}

/** Random float64 weights of `shape` from `seed`. */
export function weights(shape: readonly number[], seed: number): Tensor {
  return randn(shape, { rng: seededRng(seed), dtype: 'float64' });
}

function outputShape(f: TensorFn, inputs: readonly Tensor[]): readonly number[] {
  return noGrad(() => f(...inputs.map((x) => leaf(x, false)))).shape;
}

/** d/dx_i of sum(f(xs) * w), by one backward pass (zeros for an input with no gradient). */
export function analyticGradients(f: TensorFn, inputs: readonly Tensor[], w: Tensor): Float64Array[] {
  const leaves = inputs.map((x) => leaf(x, true));
  f(...leaves)
    .mul(w)
    .sum()
    .backward();
  return leaves.map((l) => (l.grad === null ? new Float64Array(l.size) : Float64Array.from(l.grad.data)));
}

/** Central differences of `value(xs)` in every element of every input. */
function centralDifferences(value: (xs: Tensor[]) => number, inputs: readonly Tensor[], h: number): Float64Array[] {
  return inputs.map((_, i) =>
    Float64Array.from({ length: inputs[i].size }, (__, j) => {
      const at = (shift: number) => {
        const xs = inputs.map((x) => leaf(x, false));
        xs[i].data[j] += shift;
        return value(xs);
      };
      return (at(h) - at(-h)) / (2 * h);
    }),
  );
}

function compare(what: string, analytic: Float64Array[], numeric: Float64Array[], tolerance: number): void {
  let largest = 0;
  analytic.forEach((a, i) =>
    a.forEach((value, j) => {
      const n = numeric[i][j];
      largest = Math.max(largest, Math.abs(value));
      if (!(Math.abs(value - n) <= tolerance * Math.max(1, Math.abs(n)))) {
        throw new Error(`${what}: input ${i}, element ${j}: analytic ${value}, finite differences ${n}`);
      }
    }),
  );
  // A check of all-zero gradients would pass for a rule that sends nothing: refuse it.
  if (largest === 0)
    throw new Error(`${what}: every gradient is 0, so the check proves nothing; choose another function or point.`);
}

/** Expects the gradients of sum(f(xs) * w) to match central differences; returns them. */
export function expectGradientsMatchFd(
  f: TensorFn,
  inputs: readonly Tensor[],
  options: FdOptions = {},
): Float64Array[] {
  const { tolerance = 1e-6, h = 1e-6, seed = 1 } = options;
  const w = weights(outputShape(f, inputs), seed);
  const analytic = analyticGradients(f, inputs, w);
  const numeric = centralDifferences(
    (xs) =>
      noGrad(() =>
        f(...xs)
          .mul(w)
          .sum()
          .item(),
      ),
    inputs,
    h,
  );
  compare('first order', analytic, numeric, tolerance);
  return analytic;
}

/** M(xs) = sum_i sum(dL/dx_i * w2_i), from a first-order pass (a number). */
function secondOrderValue(f: TensorFn, xs: readonly Tensor[], w: Tensor, w2: readonly Tensor[]): number {
  const grads = analyticGradients(f, xs, w);
  let m = 0;
  grads.forEach((g, i) => g.forEach((v, j) => (m += v * w2[i].data[j])));
  return m;
}

/**
 * Expects d/dx of M = sum_i sum(dL/dx_i * w2_i), with dL/dx_i taken under createGraph, to
 * match central differences of M; returns the analytic second-order gradients.
 */
export function expectSecondOrderMatchesFd(
  f: TensorFn,
  inputs: readonly Tensor[],
  options: FdOptions = {},
): Float64Array[] {
  const { tolerance = 1e-5, h = 1e-6, seed = 1 } = options;
  const w = weights(outputShape(f, inputs), seed);
  const w2 = inputs.map((x, i) => weights(x.shape, seed + 100 + i));
  const leaves = inputs.map((x) => leaf(x, true));
  f(...leaves)
    .mul(w)
    .sum()
    .backward(undefined, { createGraph: true });
  const firsts = leaves.map((l) => l.grad);
  leaves.forEach((l) => l.zeroGrad());
  let m: Tensor | null = null;
  firsts.forEach((g, i) => {
    if (g === null || !g.requiresGrad) return;
    const term = g.mul(w2[i]).sum();
    m = m === null ? term : m.add(term);
  });
  if (m !== null) (m as Tensor).backward();
  const analytic = leaves.map((l) => (l.grad === null ? new Float64Array(l.size) : Float64Array.from(l.grad.data)));
  const numeric = centralDifferences((xs) => secondOrderValue(f, xs, w, w2), inputs, h);
  compare('second order', analytic, numeric, tolerance);
  return analytic;
}

/** A float64 tensor of `shape` whose values are distinct and 0.1 apart (so no max ties, even under ±h), shuffled by `seed`. */
export function distinct(shape: readonly number[], seed: number): Tensor {
  const n = shape.reduce((p, d) => p * d, 1);
  const ranks = Array.from({ length: n }, (_, i) => i);
  const rng = seededRng(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [ranks[i], ranks[j]] = [ranks[j], ranks[i]];
  }
  return tensor(
    Float64Array.from(ranks, (r) => (r - n / 2) * 0.1 + 0.013),
    { shape, dtype: 'float64' },
  );
}

/** Gradients of `q` with respect to `leaves` by one backward pass (null where none), leaving every .grad empty. */
function gradientsOf(q: Tensor, leaves: readonly Tensor[], createGraph: boolean): (Tensor | null)[] {
  if (!q.requiresGrad) return leaves.map(() => null);
  q.backward(undefined, { createGraph });
  const grads = leaves.map((l) => l.grad);
  leaves.forEach((l) => l.zeroGrad());
  return grads;
}

/** sum_i sum(grads_i * weights_i), or sum_i sum(grads_i^2 * weights_i) when `squared`; null if nothing needs grad. */
function contract(grads: readonly (Tensor | null)[], ws: readonly Tensor[], squared: boolean): Tensor | null {
  let total: Tensor | null = null;
  grads.forEach((g, i) => {
    if (g === null) return;
    const term = (squared ? g.mul(g) : g).mul(ws[i]).sum();
    total = total === null ? term : total.add(term);
  });
  return total;
}

/**
 * Third order: with g1 = dL/dx (L = sum(f * w)) and g2 = d/dx sum(g1^2 * w2) (squared, so the
 * gradients flowing into the rules' own ops depend on x), expects d/dx sum(g2 * w3) to match
 * central differences of sum(g2 * w3). This runs the rule of each rule's op: scatter, then
 * gather, then scatter again.
 */
export function expectThirdOrderMatchesFd(
  f: TensorFn,
  inputs: readonly Tensor[],
  options: FdOptions = {},
): Float64Array[] {
  const { tolerance = 1e-5, h = 1e-6, seed = 1 } = options;
  const w = weights(outputShape(f, inputs), seed);
  const w2 = inputs.map((x, i) => weights(x.shape, seed + 100 + i));
  const w3 = inputs.map((x, i) => weights(x.shape, seed + 200 + i));
  const secondGradients = (leaves: Tensor[], createGraph: boolean) => {
    const g1 = gradientsOf(
      f(...leaves)
        .mul(w)
        .sum(),
      leaves,
      true,
    );
    const m = contract(g1, w2, true);
    return m === null ? leaves.map(() => null) : gradientsOf(m, leaves, createGraph);
  };
  const leaves = inputs.map((x) => leaf(x, true));
  const n = contract(secondGradients(leaves, true), w3, false);
  const g3 = n === null ? leaves.map(() => null) : gradientsOf(n, leaves, false);
  const analytic = g3.map((g, i) => (g === null ? new Float64Array(inputs[i].size) : Float64Array.from(g.data)));
  const numeric = centralDifferences(
    (xs) => {
      const ls = xs.map((x) => leaf(x, true));
      const total = contract(secondGradients(ls, false), w3, false);
      return total === null ? 0 : total.item();
    },
    inputs,
    h,
  );
  compare('third order', analytic, numeric, tolerance);
  return analytic;
}
