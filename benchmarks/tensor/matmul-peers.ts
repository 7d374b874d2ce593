/**
 * Square float32 matmuls for the tensor benchmark: stopgrad's blocked kernel, a hand-written
 * tiled loop over Float32Arrays (what one writes without packing or register tiles),
 * TensorFlow.js's CPU backend and js-pytorch (nested arrays). Each factory returns a runner
 * computing C = A·B for the same A and B, and `checkProducts` compares their results.
 */
import * as tf from '@tensorflow/tfjs';
import { torch } from 'js-pytorch';
import { matmul } from '../../lib/backends/js/matmul';
import { seededRng } from '../../lib/data/random';

/** A runner computes C = A·B once and returns C's elements. */
export type MatmulRunner = () => ArrayLike<number>;
export type MatmulFactory = (a: Float32Array, b: Float32Array, n: number) => MatmulRunner;

export function squareInputs(n: number): { a: Float32Array; b: Float32Array } {
  const rng = seededRng(n);
  const fill = () => Float32Array.from({ length: n * n }, () => rng() * 2 - 1);
  return { a: fill(), b: fill() };
}

export const kernelMatmul: MatmulFactory = (a, b, n) => {
  const c = new Float32Array(n * n);
  return () => {
    matmul(a, b, c, 1, n, n, n, 0, 0, false, false);
    return c;
  };
};

/** i-k-j loops over 64×64 tiles of C and A: contiguous inner loop over a row of B, no packing. */
export const tiledLoopMatmul: MatmulFactory = (a, b, n) => {
  const c = new Float32Array(n * n);
  const T = 64;
  return () => {
    c.fill(0);
    for (let i0 = 0; i0 < n; i0 += T) {
      const i1 = Math.min(i0 + T, n);
      for (let p0 = 0; p0 < n; p0 += T) {
        const p1 = Math.min(p0 + T, n);
        for (let i = i0; i < i1; i++) {
          const row = i * n;
          for (let p = p0; p < p1; p++) {
            const av = a[row + p];
            const bRow = p * n;
            for (let j = 0; j < n; j++) c[row + j] += av * b[bRow + j];
          }
        }
      }
    }
    return c;
  };
};

/** tf.matMul on the CPU backend (call `useTfjsCpu` first), reading the result back with dataSync. */
export const tfjsMatmul: MatmulFactory = (a, b, n) => {
  const ta = tf.tensor2d(a, [n, n]);
  const tb = tf.tensor2d(b, [n, n]);
  return () => tf.tidy(() => tf.matMul(ta, tb).dataSync());
};

export const jsPytorchMatmul: MatmulFactory = (a, b, n) => {
  const rows = (m: Float32Array) => Array.from({ length: n }, (_, r) => Array.from(m.subarray(r * n, (r + 1) * n)));
  const ta = torch.tensor(rows(a), false);
  const tb = torch.tensor(rows(b), false);
  return () => (ta.matmul(tb).data as number[][]).flat();
};

/** The largest difference between each runner's result and the first's, relative to the largest entry. */
export function checkProducts(runners: readonly MatmulRunner[]): number[] {
  const reference = Array.from(runners[0]());
  let scale = 0;
  for (const v of reference) scale = Math.max(scale, Math.abs(v));
  return runners.map((run) => {
    const c = run();
    let worst = 0;
    for (let i = 0; i < reference.length; i++) worst = Math.max(worst, Math.abs(c[i] - reference[i]));
    return worst / scale;
  });
}
