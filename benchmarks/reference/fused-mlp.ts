/**
 * The MLP task as one fused loop over Float64Arrays with hand-derived gradients: no graph at
 * all, the speed limit for any engine. Same weights, same order of additions in the forward
 * pass as the graph engines, so the losses agree.
 */
import { ALPHA, LEARNING_RATE, type MlpEngine, SIZES, initialWeights, taskData } from '../models/mlp-task';

export function fusedMlp(): MlpEngine {
  const { xs, ys } = taskData();
  const layerCount = SIZES.length - 1;
  // Parameters of layer l, neuron j: w at offset[l] + j*(nin+1) + i, b right after the weights.
  const offsets: number[] = [];
  let total = 0;
  for (let l = 0; l < layerCount; l++) {
    offsets.push(total);
    total += SIZES[l + 1] * (SIZES[l] + 1);
  }
  const params = new Float64Array(initialWeights().flat(2));
  const grads = new Float64Array(total);
  // Per layer: pre-activations z and outputs h (h of layer -1 is the input).
  const z = SIZES.slice(1).map((n) => new Float64Array(n));
  const h = SIZES.map((n) => new Float64Array(n));
  const dh = SIZES.map((n) => new Float64Array(n));

  const forward = (x: readonly number[]): number => {
    h[0][0] = x[0];
    h[0][1] = x[1];
    for (let l = 0; l < layerCount; l++) {
      const nin = SIZES[l];
      for (let j = 0; j < SIZES[l + 1]; j++) {
        const base = offsets[l] + j * (nin + 1);
        let act = params[base + nin];
        for (let i = 0; i < nin; i++) act = act + params[base + i] * h[l][i];
        z[l][j] = act;
        h[l + 1][j] = l < layerCount - 1 ? (act < 0 ? 0 : act) : act;
      }
    }
    return h[layerCount][0];
  };

  const lossOnly = (): number => {
    let dataLoss = 0;
    for (let s = 0; s < xs.length; s++) {
      const margin = forward(xs[s]) * -ys[s] + 1;
      dataLoss += margin < 0 ? 0 : margin;
    }
    let squares = 0;
    for (let p = 0; p < total; p++) squares += params[p] * params[p];
    return dataLoss * (1 / xs.length) + squares * ALPHA;
  };

  const step = (): number => {
    grads.fill(0);
    let dataLoss = 0;
    for (let s = 0; s < xs.length; s++) {
      const score = forward(xs[s]);
      const margin = score * -ys[s] + 1;
      dataLoss += margin < 0 ? 0 : margin;
      // Backward through relu(margin) * (1/n), then margin = score * -y + 1.
      const dScore = margin > 0 ? (1 / xs.length) * -ys[s] : 0;
      dh[layerCount][0] = dScore;
      for (let l = layerCount - 1; l >= 0; l--) {
        const nin = SIZES[l];
        dh[l].fill(0);
        for (let j = 0; j < SIZES[l + 1]; j++) {
          const dz = l < layerCount - 1 ? (z[l][j] > 0 ? dh[l + 1][j] : 0) : dh[l + 1][j];
          const base = offsets[l] + j * (nin + 1);
          grads[base + nin] += dz;
          for (let i = 0; i < nin; i++) {
            grads[base + i] += dz * h[l][i];
            dh[l][i] += dz * params[base + i];
          }
        }
      }
    }
    let squares = 0;
    for (let p = 0; p < total; p++) {
      squares += params[p] * params[p];
      grads[p] += params[p] * ALPHA + params[p] * ALPHA; // d(alpha * p*p)/dp, as the graph computes it
    }
    const loss = dataLoss * (1 / xs.length) + squares * ALPHA;
    for (let p = 0; p < total; p++) params[p] -= LEARNING_RATE * grads[p];
    return loss;
  };

  return { name: 'fused Float64Array loop (no graph)', step, buildLoss: lossOnly, nodesPerStep: () => 0 };
}
