/**
 * stopgrad's Tensor engine in the tensor benchmarks: the MLP step written as a user would
 * (matmul, add, relu, crossEntropy, backward, an SGD update in place under noGrad, zeroGrad),
 * and a plain `a.matmul(b)`.
 */
import { Tensor, crossEntropy, noGrad, tensor } from '../../lib';
import type { MatmulFactory } from './matmul-peers';
import { BATCH, CLASSES, HIDDEN, INPUTS, LEARNING_RATE, type TensorMlpFactory } from './mlp-task';

/** The MLP step on stopgrad Tensors (float32). */
export const stopgradTensorMlp: TensorMlpFactory = (task) => {
  const param = (values: Float64Array, shape: number[]) =>
    tensor(Float32Array.from(values), { shape, requiresGrad: true });
  const w1 = param(task.w1, [INPUTS, HIDDEN]);
  const b1 = param(task.b1, [HIDDEN]);
  const w2 = param(task.w2, [HIDDEN, CLASSES]);
  const b2 = param(task.b2, [CLASSES]);
  const x = tensor(Float32Array.from(task.x), { shape: [BATCH, INPUTS] });
  const labels = task.labels;
  const params: Tensor[] = [w1, b1, w2, b2];
  return {
    name: 'stopgrad Tensor',
    step() {
      const loss = crossEntropy(x.matmul(w1).add(b1).relu().matmul(w2).add(b2), labels);
      loss.backward();
      noGrad(() => {
        for (const p of params) p.sub_(p.grad!.mul(LEARNING_RATE));
      });
      for (const p of params) p.zeroGrad();
      return loss.item();
    },
  };
};

/** `a.matmul(b)` on float32 Tensors. */
export const stopgradTensorMatmul: MatmulFactory = (a, b, n) => {
  const ta = tensor(Float32Array.from(a), { shape: [n, n] });
  const tb = tensor(Float32Array.from(b), { shape: [n, n] });
  return () => ta.matmul(tb).data;
};
