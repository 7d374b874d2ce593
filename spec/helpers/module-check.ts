/**
 * Checks for tensor modules: a deterministic tensor (the formula of the PyTorch reference
 * script), loading named parameters, and a finite-difference check of a module's gradients with
 * respect to its input and every parameter element, in float64.
 */
import { type AnyModule, Tensor, noGrad, tensor } from '../../lib';
import { weights } from './tensor-gradcheck';

/** det(shape, salt, scale): element i is (sin(1.3 (i + 1) + 0.7 salt) + 0.25) · scale, float64. */
export function det(shape: readonly number[], salt = 0, scale = 1): Tensor {
  return scale === 1 ? weights(shape, salt) : weights(shape, salt).mul(scale);
}

/** Copies `values` into the named parameters of `module` (under noGrad, as an optimiser would). */
export function setParameters(module: AnyModule, values: Record<string, Tensor>): void {
  const named = new Map<string, Tensor>(module.namedParameters() as [string, Tensor][]);
  noGrad(() => {
    for (const [name, value] of Object.entries(values)) named.get(name)!.copy_(value);
  });
}

/** The loss of the reference script: sum(det(out.shape, 99) ⊙ out). */
export function referenceLoss(out: Tensor): Tensor {
  return out.mul(weights(out.shape, 99)).sum();
}

/** Output and gradients (of referenceLoss) of `forward` at `x`, by name as in the reference JSON. */
export function outputAndGrads(
  module: AnyModule,
  forward: (x: Tensor) => Tensor,
  input: Tensor,
): Record<string, number[]> & { shape: number[] } {
  module.zeroGrad();
  const x = tensor(Float64Array.from(input.data), { shape: input.shape, dtype: 'float64', requiresGrad: true });
  const out = forward(x);
  referenceLoss(out).backward();
  const result: Record<string, number[]> = { out: Array.from(out.data), 'x.grad': Array.from(x.grad!.data) };
  for (const [name, p] of module.namedParameters() as [string, Tensor][])
    result[`${name}.grad`] = Array.from(p.grad!.data);
  return Object.assign(result, { shape: out.shape.slice() });
}

/**
 * Central differences of referenceLoss(forward(x)) over every element of x and of every
 * parameter, against the analytic gradients; returns the mismatches (empty when all agree
 * within `tolerance` · max(1, |numeric|)).
 */
export function finiteDifferenceMismatches(
  module: AnyModule,
  forward: (x: Tensor) => Tensor,
  input: Tensor,
  { eps = 1e-6, tolerance = 1e-6 } = {},
): string[] {
  const analytic = outputAndGrads(module, forward, input);
  const x = tensor(Float64Array.from(input.data), { shape: input.shape, dtype: 'float64' });
  const loss = (): number => noGrad(() => referenceLoss(forward(x)).item());
  const targets: [string, Float64Array | Float32Array][] = [['x', x.data]];
  for (const [name, p] of module.namedParameters() as [string, Tensor][]) targets.push([name, p.data]);
  const mismatches: string[] = [];
  for (const [name, data] of targets) {
    const grad = analytic[`${name}.grad`];
    for (let i = 0; i < data.length; i++) {
      const keep = data[i];
      data[i] = keep + eps;
      const up = loss();
      data[i] = keep - eps;
      const down = loss();
      data[i] = keep;
      const numeric = (up - down) / (2 * eps);
      if (!(Math.abs(numeric - grad[i]) <= tolerance * Math.max(1, Math.abs(numeric))))
        mismatches.push(`${name}[${i}]: analytic ${grad[i]}, numeric ${numeric}`);
    }
  }
  return mismatches;
}

/** Expects `actual` to equal `expected` elementwise within `tolerance` (absolute, or relative above 1). */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-10): void {
  expect(actual.length).toBe(expected.length);
  const bad: string[] = [];
  for (let i = 0; i < expected.length; i++) {
    if (!(Math.abs(actual[i] - expected[i]) <= tolerance * Math.max(1, Math.abs(expected[i]))))
      bad.push(`[${i}] ${actual[i]} vs ${expected[i]}`);
  }
  expect(bad).toEqual([]);
}
