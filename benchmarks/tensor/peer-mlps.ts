/**
 * The tensor MLP step in the peers' own APIs: TensorFlow.js on its pure-JS CPU backend
 * (`tf.variableGrads`, parameters updated with `assign` inside `tf.tidy`) and js-pytorch
 * (device 'cpu', its CrossEntropyLoss, `backward()`, then SGD on `_data` by hand since
 * js-pytorch ships only Adam).
 */
import * as tf from '@tensorflow/tfjs';
import { torch } from 'js-pytorch';
import {
  BATCH,
  CLASSES,
  HIDDEN,
  INPUTS,
  LEARNING_RATE,
  type TensorMlpEngine,
  type TensorMlpTask,
  toRows,
} from './mlp-task';

/** Switches TensorFlow.js to its CPU backend (pure JavaScript), once. */
export async function useTfjsCpu(): Promise<void> {
  if (tf.getBackend() !== 'cpu') await tf.setBackend('cpu');
  await tf.ready();
}

export async function tfjsMlp(task: TensorMlpTask): Promise<TensorMlpEngine> {
  await useTfjsCpu();
  const x = tf.tensor2d(Float32Array.from(task.x), [BATCH, INPUTS]);
  const onehot = tf.oneHot(tf.tensor1d(task.labels, 'int32'), CLASSES).toFloat();
  const w1 = tf.variable(tf.tensor2d(Float32Array.from(task.w1), [INPUTS, HIDDEN]));
  const b1 = tf.variable(tf.tensor1d(Float32Array.from(task.b1)));
  const w2 = tf.variable(tf.tensor2d(Float32Array.from(task.w2), [HIDDEN, CLASSES]));
  const b2 = tf.variable(tf.tensor1d(Float32Array.from(task.b2)));
  const variables = [w1, b1, w2, b2];
  const lossFn = (): tf.Scalar => {
    const h = tf.relu(tf.add(tf.matMul(x, w1), b1));
    const logits = tf.add(tf.matMul(h, w2), b2);
    return tf.neg(tf.mean(tf.sum(tf.mul(onehot, tf.logSoftmax(logits)), 1)));
  };
  const step = (): number =>
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(lossFn, variables);
      for (const v of variables) v.assign(tf.sub(v, tf.mul(grads[v.name], LEARNING_RATE)));
      return value.dataSync()[0];
    });
  return { name: 'TensorFlow.js (cpu backend)', step };
}

export function jsPytorchMlp(task: TensorMlpTask): TensorMlpEngine {
  const x = torch.tensor(toRows(task.x, BATCH, INPUTS), false);
  const labels = torch.tensor(Array.from(task.labels), false);
  const w1 = torch.tensor(toRows(task.w1, INPUTS, HIDDEN), true);
  const b1 = torch.tensor(Array.from(task.b1), true);
  const w2 = torch.tensor(toRows(task.w2, HIDDEN, CLASSES), true);
  const b2 = torch.tensor(Array.from(task.b2), true);
  const params = [w1, b1, w2, b2];
  const crossEntropy = new torch.nn.CrossEntropyLoss();
  // js-pytorch's nn.ReLU multiplies negatives by 1e-3 (a leaky relu); this is relu with the same mechanism (a constant mask).
  const relu = (z: InstanceType<typeof torch.Tensor>) =>
    z.mul(
      torch.tensor(
        (z.data as number[][]).map((row) => row.map((v) => (v > 0 ? 1 : 0))),
        false,
      ),
    );
  const step = (): number => {
    const h = relu(x.matmul(w1).add(b1));
    const logits = h.matmul(w2).add(b2);
    const loss = crossEntropy.forward(logits, labels);
    loss.backward();
    for (const p of params) {
      const grad = (p as unknown as { _grad: InstanceType<typeof torch.Tensor> })._grad;
      (p as unknown as { _data: unknown })._data = p.sub(grad.mul(LEARNING_RATE)).data;
      p.zero_grad();
    }
    const value = loss.data as unknown;
    return Array.isArray(value) ? (value[0] as number) : (value as number);
  };
  return { name: 'js-pytorch', step };
}
