/**
 * The MLP 784-128-10 (batch 64, ReLU, softmax cross-entropy, SGD) written with stopgrad's
 * tensor ops, as a user writes it: the workload of the wasm engine benchmark and of the
 * memory spec (spec/tensor/wasm-memory.spec.ts).
 */
import { Tensor, crossEntropy, noGrad, randn, seededRng, tensor } from '../../lib';

/** Parameters and one fixed batch, from a seed. */
export function engineMlp(seed = 1): { params: Tensor[]; x: Tensor; labels: number[] } {
  const w1 = randn([784, 128], { rng: seededRng(seed) })
    .mul(0.05)
    .requiresGrad_();
  const b1 = tensor(new Float32Array(128), { requiresGrad: true });
  const w2 = randn([128, 10], { rng: seededRng(seed + 1) })
    .mul(0.1)
    .requiresGrad_();
  const b2 = tensor(new Float32Array(10), { requiresGrad: true });
  const x = randn([64, 784], { rng: seededRng(seed + 2) });
  const labels = Array.from({ length: 64 }, (_, i) => (i * 7) % 10);
  return { params: [w1, b1, w2, b2], x, labels };
}

/** One training step through the tensor engine; returns the loss. */
export function engineStep(params: Tensor[], x: Tensor, labels: number[], lr = 0.1): number {
  const [w1, b1, w2, b2] = params;
  const logits = x.matmul(w1).add(b1).relu().matmul(w2).add(b2);
  const loss = crossEntropy(logits, labels);
  for (const p of params) p.zeroGrad();
  loss.backward();
  noGrad(() => {
    for (const p of params) p.sub_(p.grad!.mul(lr));
  });
  return loss.item();
}
