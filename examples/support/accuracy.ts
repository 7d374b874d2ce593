/** Classification accuracy for the examples. */
import type { Tensor } from '../../lib';

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
