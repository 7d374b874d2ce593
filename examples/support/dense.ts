/**
 * A fully connected layer on tensors for the examples: `y = x W + b` with W of shape
 * [in, out], initialised as PyTorch's `nn.Linear` (uniform in ±1/sqrt(in) for W and b), from
 * a seeded source.
 */
import { type Rng, type Tensor, rand } from '../../lib';

/** A dense layer's parameters and its forward function. */
export interface Dense {
  weight: Tensor;
  bias: Tensor;
  forward(x: Tensor): Tensor;
  parameters(): Tensor[];
}

/** A uniform tensor in [-bound, bound) that requires grad. */
function uniform(shape: number[], bound: number, rng: Rng): Tensor {
  return rand(shape, { rng })
    .mul(2 * bound)
    .sub(bound)
    .detach()
    .requiresGrad_();
}

/**
 * A dense layer from `inFeatures` to `outFeatures`.
 *
 * @example
 * const layer = dense(784, 128, seededRng(0));
 * layer.forward(x);   // [batch, 128]
 */
export function dense(inFeatures: number, outFeatures: number, rng: Rng): Dense {
  const bound = 1 / Math.sqrt(inFeatures);
  const weight = uniform([inFeatures, outFeatures], bound, rng);
  const bias = uniform([outFeatures], bound, rng);
  return {
    weight,
    bias,
    forward: (x) => x.matmul(weight).add(bias),
    parameters: () => [weight, bias],
  };
}

/** The fraction of rows of `logits` whose largest entry is at the label. */
export function accuracy(logits: Tensor, labels: ArrayLike<number>): number {
  const [n, c] = logits.shape;
  const data = logits.data;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < c; j++) if (data[i * c + j] > data[i * c + best]) best = j;
    if (best === labels[i]) correct++;
  }
  return correct / n;
}
