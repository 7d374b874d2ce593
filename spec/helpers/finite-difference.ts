/** Central finite differences, to check every analytic gradient in spec/. */
import { Value, noGrad } from '../../lib';

/** d f / d xs[i] by central differences with step `eps`, evaluating `f` on constants. */
export function centralDifference(f: (...xs: Value[]) => Value, xs: number[], i: number, eps = 1e-6): number {
  const at = (shift: number) =>
    noGrad(() => f(...xs.map((x, j) => new Value(j === i ? x + shift : x, { requiresGrad: false }))).data);
  return (at(eps) - at(-eps)) / (2 * eps);
}

/** The analytic gradient of `f` at `xs` from one backward pass. */
export function analyticGradient(f: (...xs: Value[]) => Value, xs: number[]): number[] {
  const inputs = xs.map((x) => new Value(x));
  f(...inputs).backward();
  return inputs.map((v) => v.grad);
}

/**
 * Expects the analytic gradient of `f` at `xs` to match central differences within
 * `tolerance`, relative to the size of the gradient (absolute below 1).
 */
export function expectGradientsMatch(f: (...xs: Value[]) => Value, xs: number[], tolerance = 1e-5): void {
  const analytic = analyticGradient(f, xs);
  xs.forEach((_, i) => {
    const numeric = centralDifference(f, xs, i);
    const scale = Math.max(1, Math.abs(numeric));
    if (!(Math.abs(analytic[i] - numeric) <= tolerance * scale)) {
      throw new Error(
        `d f / d x${i} of f = ${f.toString().replace(/\s+/g, ' ')} at [${xs.join(', ')}]:\n` +
          `  expected ${numeric} (central difference)\n  received ${analytic[i]} (backward)\n` +
          `  difference ${Math.abs(analytic[i] - numeric)}, tolerance ${tolerance * scale}`,
      );
    }
  });
}
