/**
 * The tensor MLP step written by hand over typed arrays: stopgrad's JS kernels (blocked matmul)
 * for the three products of each direction, hand-derived gradients, every buffer allocated once.
 * No graph at all: the speed limit for an engine built on the same kernels.
 */
import { matmul } from '../../lib/backends/js/matmul';
import { BATCH, CLASSES, HIDDEN, INPUTS, LEARNING_RATE, type TensorMlpEngine, type TensorMlpTask } from './mlp-task';

type Floats = Float32Array | Float64Array;

export interface HandMlp extends TensorMlpEngine {
  /** Every typed array the step uses (parameters, gradients, activations, data), for memory figures. */
  buffers: Floats[];
  /** The loss without an update, and the gradients of the last `step` (for checks). */
  loss(): number;
  params: { w1: Floats; b1: Floats; w2: Floats; b2: Floats };
  grads: { w1: Floats; b1: Floats; w2: Floats; b2: Floats };
}

export function handMlp(task: TensorMlpTask, dtype: 'float32' | 'float64' = 'float32'): HandMlp {
  const make = (source: number | Float64Array): Floats =>
    dtype === 'float32' ? new Float32Array(source as number) : new Float64Array(source as number);
  const copy = (values: Float64Array): Floats => {
    const out = make(values.length);
    out.set(values);
    return out;
  };
  const x = copy(task.x);
  const labels = task.labels;
  const params = { w1: copy(task.w1), b1: copy(task.b1), w2: copy(task.w2), b2: copy(task.b2) };
  const grads = { w1: make(INPUTS * HIDDEN), b1: make(HIDDEN), w2: make(HIDDEN * CLASSES), b2: make(CLASSES) };
  const z1 = make(BATCH * HIDDEN); // pre-activation, then relu in place (the mask is z1 > 0)
  const logits = make(BATCH * CLASSES); // then dLoss/dlogits in place
  const dh = make(BATCH * HIDDEN);

  /** z1 = relu(x W1 + b1); logits = z1 W2 + b2; returns the mean cross-entropy and leaves softmax - onehot (over BATCH) in logits when `withGrad`. */
  const forward = (withGrad: boolean): number => {
    const { w1, b1, w2, b2 } = params;
    matmul(x, w1, z1, 1, BATCH, INPUTS, HIDDEN, 0, 0, false, false);
    for (let r = 0, i = 0; r < BATCH; r++) {
      for (let j = 0; j < HIDDEN; j++, i++) {
        const v = z1[i] + b1[j];
        z1[i] = v > 0 ? v : 0;
      }
    }
    matmul(z1, w2, logits, 1, BATCH, HIDDEN, CLASSES, 0, 0, false, false);
    let total = 0;
    for (let r = 0; r < BATCH; r++) {
      const row = r * CLASSES;
      let max = -Infinity;
      for (let j = 0; j < CLASSES; j++) {
        const v = (logits[row + j] += b2[j]);
        if (v > max) max = v;
      }
      let sum = 0;
      for (let j = 0; j < CLASSES; j++) sum += Math.exp(logits[row + j] - max);
      const logSum = Math.log(sum) + max;
      total += logSum - logits[row + labels[r]];
      if (withGrad) {
        for (let j = 0; j < CLASSES; j++) logits[row + j] = Math.exp(logits[row + j] - logSum) / BATCH;
        logits[row + labels[r]] -= 1 / BATCH;
      }
    }
    return total / BATCH;
  };

  const step = (): number => {
    const loss = forward(true);
    const dz2 = logits;
    // dW2 = h^T dz2, db2 = column sums of dz2, dh = dz2 W2^T masked by relu.
    matmul(z1, dz2, grads.w2, 1, HIDDEN, BATCH, CLASSES, 0, 0, true, false);
    columnSums(dz2, BATCH, CLASSES, grads.b2);
    matmul(dz2, params.w2, dh, 1, BATCH, CLASSES, HIDDEN, 0, 0, false, true);
    for (let i = 0; i < dh.length; i++) if (!(z1[i] > 0)) dh[i] = 0;
    // dW1 = x^T dz1, db1 = column sums of dz1.
    matmul(x, dh, grads.w1, 1, INPUTS, BATCH, HIDDEN, 0, 0, true, false);
    columnSums(dh, BATCH, HIDDEN, grads.b1);
    sgd(params.w1, grads.w1);
    sgd(params.b1, grads.b1);
    sgd(params.w2, grads.w2);
    sgd(params.b2, grads.b2);
    return loss;
  };

  const buffers = [x, ...Object.values(params), ...Object.values(grads), z1, logits, dh];
  return {
    name: `hand-written ${dtype === 'float32' ? 'Float32Array' : 'Float64Array'} loop`,
    step,
    loss: () => forward(false),
    params,
    grads,
    buffers,
  };
}

function columnSums(m: Floats, rows: number, cols: number, out: Floats): void {
  out.fill(0);
  for (let r = 0, i = 0; r < rows; r++) for (let j = 0; j < cols; j++, i++) out[j] += m[i];
}

function sgd(p: Floats, g: Floats): void {
  for (let i = 0; i < p.length; i++) p[i] -= LEARNING_RATE * g[i];
}
