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
 * Softmax cross-entropy against target distributions `q` [rows, cols] (one-hot rows for class
 * labels): losses[r] = sum over c with q[r, c] != 0 of q[r, c] * (logsumexp(x[r, :]) - x[r, c]),
 * and probs[r, :] = softmax(x[r, :]), from which the gradient is (probs - q) * upstream.
 * Classes with target 0 take no part in the loss, so a -Infinity logit there is allowed.
 */
export function crossEntropy(x: usize, q: usize, rows: i32, cols: i32, losses: usize, probs: usize): void {
  for (let r = 0; r < rows; r++) {
    const offset = (<usize>r * cols) << 2;
    const row = x + offset;
    const m = rowMax(row, cols);
    const s = rowSumExp(row, cols, m);
    const lse = m + Math.log(s);
    let loss: f64 = 0;
    for (let c = 0; c < cols; c++) {
      const at = <usize>c << 2;
      const v = <f64>load<f32>(row + at);
      const t = <f64>load<f32>(q + offset + at);
      if (t != 0) loss += t * (lse - v);
      store<f32>(probs + offset + at, <f32>(Math.exp(v - m) / s));
    }
    store<f32>(losses + (<usize>r << 2), <f32>loss);
  }
}
