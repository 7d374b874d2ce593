/**
 * The kernels composed into a whole training step (benchmarks/wasm-mlp-step.ts: 784-128-10
 * MLP, batch 64, ReLU, softmax cross-entropy, SGD; transposed matmuls in the backward pass)
 * follow a float64 reference written out here, to float32 accuracy over three steps.
 */
import { kernelMlp, mlpData } from '../../../benchmarks/wasm-mlp-step';
import { recordingFallback } from './helpers';

function referenceLosses(steps: number): number[] {
  const [B, I, H, O] = [64, 784, 128, 10];
  const d = mlpData();
  const [w1, b1, w2, b2] = [Array.from(d.w1), Array.from(d.b1), Array.from(d.w2), Array.from(d.b2)];
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const h = new Array<number>(B * H).fill(0),
      z = new Array<number>(B * O).fill(0);
    for (let r = 0; r < B; r++)
      for (let j = 0; j < H; j++) {
        let s = b1[j];
        for (let k = 0; k < I; k++) s += d.x[r * I + k] * w1[k * H + j];
        h[r * H + j] = Math.max(s, 0);
      }
    for (let r = 0; r < B; r++)
      for (let j = 0; j < O; j++) {
        let s = b2[j];
        for (let k = 0; k < H; k++) s += h[r * H + k] * w2[k * O + j];
        z[r * O + j] = s;
      }
    let loss = 0;
    const dz = new Array<number>(B * O);
    for (let r = 0; r < B; r++) {
      const row = z.slice(r * O, (r + 1) * O),
        m = Math.max(...row);
      const sum = row.reduce((s, v) => s + Math.exp(v - m), 0);
      loss += m + Math.log(sum) - row[d.labels[r]];
      row.forEach((v, j) => {
        dz[r * O + j] = (Math.exp(v - m) / sum - (j === d.labels[r] ? 1 : 0)) / B;
      });
    }
    losses.push(loss / B);
    const dh = new Array<number>(B * H).fill(0);
    for (let r = 0; r < B; r++)
      for (let k = 0; k < H; k++) {
        if (h[r * H + k] <= 0) continue;
        let s = 0;
        for (let j = 0; j < O; j++) s += dz[r * O + j] * w2[k * O + j];
        dh[r * H + k] = s;
      }
    for (let k = 0; k < H; k++)
      for (let j = 0; j < O; j++) {
        let s = 0;
        for (let r = 0; r < B; r++) s += h[r * H + k] * dz[r * O + j];
        w2[k * O + j] -= 0.1 * s;
      }
    for (let j = 0; j < O; j++) {
      let s = 0;
      for (let r = 0; r < B; r++) s += dz[r * O + j];
      b2[j] -= 0.1 * s;
    }
    for (let k = 0; k < I; k++)
      for (let j = 0; j < H; j++) {
        let s = 0;
        for (let r = 0; r < B; r++) s += d.x[r * I + k] * dh[r * H + j];
        w1[k * H + j] -= 0.1 * s;
      }
    for (let j = 0; j < H; j++) {
      let s = 0;
      for (let r = 0; r < B; r++) s += dh[r * H + j];
      b1[j] -= 0.1 * s;
    }
  }
  return losses;
}

test('three SGD steps on the wasm kernels follow the float64 reference to 1e-5', () => {
  const calls: string[] = [];
  const step = kernelMlp(recordingFallback(calls));
  const ours = [step(), step(), step()];
  const expected = referenceLosses(3);
  expect(calls).toEqual([]);
  ours.forEach((loss, i) => expect(Math.abs(loss - expected[i])).toBeLessThan(1e-5));
  expect(ours[2]).toBeLessThan(ours[0] - 0.5);
});
