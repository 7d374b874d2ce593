/**
 * The floor for issue 13's MLP target: one training step of a 784-128-10 MLP (batch 64, ReLU,
 * softmax cross-entropy, mean over the batch, plain SGD) written directly on WasmBackend's
 * kernels, with no autograd: what the tensor engine's overhead is added to. Beside the same
 * step in TensorFlow.js on its WebAssembly backend (optimizer.minimize), both from the same
 * initial weights; the first losses must agree before anything is timed.
 */
import type { Backend, Storage } from '../lib/backends/backend';
import { WasmBackend } from '../lib/backends/wasm/wasm-backend';
import { seededFloats } from './harness';

const [B, I, H, O] = [64, 784, 128, 10];
const LR = 0.1;

/** One-hot rows (B x O) for class labels. */
function oneHot(labels: number[]): Float32Array {
  const q = new Float32Array(labels.length * O);
  labels.forEach((label, r) => (q[r * O + label] = 1));
  return q;
}

/** Shared data: inputs, labels and initial weights. */
export function mlpData() {
  const labels = Array.from({ length: B }, (_, i) => (i * 7) % O);
  return {
    x: seededFloats(B * I, 1, 1),
    labels,
    w1: seededFloats(I * H, 2, Math.sqrt(6 / (I + H))),
    b1: new Float32Array(H),
    w2: seededFloats(H * O, 3, Math.sqrt(6 / (H + O))),
    b2: new Float32Array(O),
  };
}

/** A step on the raw kernels; returns the mean loss before the update. */
export function kernelMlp(fallback: Backend): () => number {
  const wasm = new WasmBackend(fallback);
  const d = mlpData();
  const x = wasm.fromArray('float32', d.x),
    targets = wasm.fromArray('float32', oneHot(d.labels));
  const w1 = wasm.fromArray('float32', d.w1),
    b1 = wasm.fromArray('float32', d.b1);
  const w2 = wasm.fromArray('float32', d.w2),
    b2 = wasm.fromArray('float32', d.b2);
  const v = (s: Storage) => s.view();
  return () => {
    const e = (n: number) => wasm.empty('float32', n);
    const h = e(B * H),
      a = e(B * H),
      z = e(B * O),
      losses = e(B),
      probs = e(B * O);
    const dz = e(B * O),
      dw2 = e(H * O),
      db2 = e(O),
      da = e(B * H),
      mask = e(B * H),
      dh = e(B * H),
      dw1 = e(I * H),
      db1 = e(H);
    wasm.matmul(v(x), v(w1), v(h), 1, B, I, H, 0, 0, false, false);
    wasm.binary('add', v(h), [H, 1], v(b1), [0, 1], [B, H], v(h));
    wasm.unary('relu', v(h), v(a));
    wasm.matmul(v(a), v(w2), v(z), 1, B, H, O, 0, 0, false, false);
    wasm.binary('add', v(z), [O, 1], v(b2), [0, 1], [B, O], v(z));
    wasm.softmaxCrossEntropy(v(z), v(targets), B, O, v(losses), v(probs));
    let loss = 0;
    const lv = v(losses);
    for (let r = 0; r < B; r++) loss += lv[r];
    wasm.affine(v(probs), 1 / B, 0, v(dz));
    const dzv = v(dz);
    for (let r = 0; r < B; r++) dzv[r * O + d.labels[r]] -= 1 / B;
    wasm.matmul(v(a), v(dz), v(dw2), 1, H, B, O, 0, 0, true, false);
    wasm.reduce('sum', v(dz), 1, B, O, v(db2));
    wasm.matmul(v(dz), v(w2), v(da), 1, B, O, H, 0, 0, false, true);
    wasm.unary('step', v(h), v(mask));
    wasm.binary('mul', v(da), [1], v(mask), [1], [B * H], v(dh));
    wasm.matmul(v(x), v(dh), v(dw1), 1, I, B, H, 0, 0, true, false);
    wasm.reduce('sum', v(dh), 1, B, H, v(db1));
    wasm.sgd(v(w1), v(dw1), null, { lr: LR });
    wasm.sgd(v(b1), v(db1), null, { lr: LR });
    wasm.sgd(v(w2), v(dw2), null, { lr: LR });
    wasm.sgd(v(b2), v(db2), null, { lr: LR });
    for (const s of [h, a, z, losses, probs, dz, dw2, db2, da, mask, dh, dw1, db1]) wasm.release(s);
    return loss / B;
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

/** The same step in tfjs (on whatever backend is active: the caller sets 'wasm'). */
export function tfjsMlp(tf: Any): () => number {
  const d = mlpData();
  const x = tf.tensor2d(d.x, [B, I]);
  const onehot = tf.oneHot(tf.tensor1d(d.labels, 'int32'), O).toFloat();
  const w1 = tf.variable(tf.tensor2d(d.w1, [I, H])),
    b1 = tf.variable(tf.tensor1d(d.b1));
  const w2 = tf.variable(tf.tensor2d(d.w2, [H, O])),
    b2 = tf.variable(tf.tensor1d(d.b2));
  const opt = tf.train.sgd(LR);
  return () => {
    const cost = opt.minimize(() => {
      const z = tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2), b2);
      return tf.losses.softmaxCrossEntropy(onehot, z);
    }, true);
    const loss = cost.dataSync()[0];
    cost.dispose();
    return loss;
  };
}
