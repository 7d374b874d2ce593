// Row-wise softmax, log-softmax and fused softmax cross-entropy over [rows, cols] float32
// (byte pointers). Each row is computed in f64 (max, then sum of exp(x - max)) and rounded
// once per output; a NaN in a row makes the row NaN.

// @ts-ignore: decorator
@inline function rowMax(row: usize, cols: i32): f64 {
  let m: f64 = -Infinity;
  for (let c = 0; c < cols; c++) {
    const v = <f64>load<f32>(row + (<usize>c << 2));
    if (v > m || v != v) m = v;
    if (m != m) break;
  }
  return m;
}

// @ts-ignore: decorator
@inline function rowSumExp(row: usize, cols: i32, m: f64): f64 {
  let s: f64 = 0;
  for (let c = 0; c < cols; c++) s += Math.exp(<f64>load<f32>(row + (<usize>c << 2)) - m);
  return s;
}

/** out[r, c] = exp(x[r, c]) / sum_c exp(x[r, c]) (log: x[r, c] - logsumexp(x[r, :])). */
export function softmax(x: usize, out: usize, rows: i32, cols: i32, log: bool): void {
  for (let r = 0; r < rows; r++) {
    const row = x + ((<usize>r * cols) << 2);
    const dst = out + ((<usize>r * cols) << 2);
    const m = rowMax(row, cols);
    const s = rowSumExp(row, cols, m);
    const lse = m + Math.log(s);
    for (let c = 0; c < cols; c++) {
      const v = <f64>load<f32>(row + (<usize>c << 2));
      store<f32>(dst + (<usize>c << 2), <f32>(log ? v - lse : Math.exp(v - m) / s));
    }
  }
}

/**
 * Cross-entropy with class indices (`labels`, float32 integers): losses[r] = logsumexp(x[r, :])
 * - x[r, label]; probs[r, :] = softmax(x[r, :]), from which the gradient is
 * (probs - onehot(labels)) * scale.
 */
export function crossEntropy(x: usize, labels: usize, rows: i32, cols: i32, losses: usize, probs: usize): void {
  for (let r = 0; r < rows; r++) {
    const row = x + ((<usize>r * cols) << 2);
    const dst = probs + ((<usize>r * cols) << 2);
    const m = rowMax(row, cols);
    const s = rowSumExp(row, cols, m);
    const label = <i32>load<f32>(labels + (<usize>r << 2));
    const picked = <f64>load<f32>(row + (<usize>label << 2));
    store<f32>(losses + (<usize>r << 2), <f32>(m + Math.log(s) - picked));
    for (let c = 0; c < cols; c++) {
      store<f32>(dst + (<usize>c << 2), <f32>(Math.exp(<f64>load<f32>(row + (<usize>c << 2)) - m) / s));
    }
  }
}
