/** Plain-TypeScript fused softmax cross-entropy (the wasm kernel's formula, in float64 per row). */
import type { TypedArray } from '../backend';

/** See `Backend.softmaxCrossEntropy`: a NaN in a row makes its loss and probabilities NaN. */
export function softmaxCrossEntropy(
  x: TypedArray,
  targets: TypedArray,
  rows: number,
  cols: number,
  losses: TypedArray,
  probs: TypedArray,
): void {
  for (let r = 0, offset = 0; r < rows; r++, offset += cols) {
    let max = -Infinity;
    for (let c = 0; c < cols; c++) {
      const v = x[offset + c];
      if (v > max || v !== v) max = v;
      if (max !== max) break;
    }
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += Math.exp(x[offset + c] - max);
    const logSumExp = max + Math.log(sum);
    let loss = 0;
    for (let c = 0; c < cols; c++) {
      const v = x[offset + c];
      const t = targets[offset + c];
      if (t !== 0) loss += t * (logSumExp - v);
      probs[offset + c] = Math.exp(v - max) / sum;
    }
    losses[r] = loss;
  }
}
