// im2col/col2im and 2-D pooling over NCHW float32 (byte pointers). The geometry arrives as 14
// i32 at `g`: n, c, h, w, kh, kw, strideH, strideW, padH, padW, dilationH, dilationW, oh, ow.

// @ts-ignore: decorator
@inline function gi(g: usize, i: i32): i32 {
  return load<i32>(g + (<usize>i << 2));
}

/** x [n, c, h, w] -> cols [n, c*kh*kw, oh*ow]; padding reads as 0. */
export function im2col(x: usize, g: usize, cols: usize): void {
  const n = gi(g, 0), c = gi(g, 1), h = gi(g, 2), w = gi(g, 3), kh = gi(g, 4), kw = gi(g, 5);
  const sh = gi(g, 6), sw = gi(g, 7), ph = gi(g, 8), pw = gi(g, 9), dh = gi(g, 10), dw = gi(g, 11);
  const oh = gi(g, 12), ow = gi(g, 13);
  let dst = cols;
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      const plane = x + ((<usize>(b * c + ch) * h * w) << 2);
      for (let ki = 0; ki < kh; ki++) {
        for (let kj = 0; kj < kw; kj++) {
          const shift = kj * dw - pw;
          // Output columns whose input column is inside the image (when sw == 1).
          const lo = min(ow, max(0, -shift));
          const hi = max(lo, min(ow, w - shift));
          for (let oy = 0; oy < oh; oy++) {
            const iy = oy * sh - ph + ki * dh;
            if (iy < 0 || iy >= h) {
              memory.fill(dst, 0, <usize>ow << 2);
            } else {
              const src = plane + ((<usize>iy * w) << 2);
              if (sw == 1) {
                memory.fill(dst, 0, <usize>lo << 2);
                memory.copy(dst + (<usize>lo << 2), src + (<usize>(lo + shift) << 2), <usize>(hi - lo) << 2);
                memory.fill(dst + (<usize>hi << 2), 0, <usize>(ow - hi) << 2);
              } else {
                for (let ox = 0; ox < ow; ox++) {
                  const ix = ox * sw + shift;
                  store<f32>(dst + (<usize>ox << 2), ix >= 0 && ix < w ? load<f32>(src + (<usize>ix << 2)) : 0);
                }
              }
            }
            dst += <usize>ow << 2;
          }
        }
      }
    }
  }
}

/** The adjoint of im2col: x = 0, then every column entry is added to the input it came from. */
export function col2im(cols: usize, g: usize, x: usize): void {
  const n = gi(g, 0), c = gi(g, 1), h = gi(g, 2), w = gi(g, 3), kh = gi(g, 4), kw = gi(g, 5);
  const sh = gi(g, 6), sw = gi(g, 7), ph = gi(g, 8), pw = gi(g, 9), dh = gi(g, 10), dw = gi(g, 11);
  const oh = gi(g, 12), ow = gi(g, 13);
  memory.fill(x, 0, (<usize>n * c * h * w) << 2);
  let src = cols;
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      const plane = x + ((<usize>(b * c + ch) * h * w) << 2);
      for (let ki = 0; ki < kh; ki++) {
        for (let kj = 0; kj < kw; kj++) {
          const shift = kj * dw - pw;
          for (let oy = 0; oy < oh; oy++) {
            const iy = oy * sh - ph + ki * dh;
            if (iy >= 0 && iy < h) {
              const row = plane + ((<usize>iy * w) << 2);
              for (let ox = 0; ox < ow; ox++) {
                const ix = ox * sw + shift;
                if (ix >= 0 && ix < w) {
                  const p = row + (<usize>ix << 2);
                  store<f32>(p, load<f32>(p) + load<f32>(src + (<usize>ox << 2)));
                }
              }
            }
            src += <usize>ow << 2;
          }
        }
      }
    }
  }
}

/** Max over each window (padding ignored); argmax gets the flat index in the plane. First max and first NaN win. */
export function maxPool2d(x: usize, g: usize, out: usize, argmax: usize): void {
  const planes = gi(g, 0) * gi(g, 1), h = gi(g, 2), w = gi(g, 3), kh = gi(g, 4), kw = gi(g, 5);
  const sh = gi(g, 6), sw = gi(g, 7), ph = gi(g, 8), pw = gi(g, 9), dh = gi(g, 10), dw = gi(g, 11);
  const oh = gi(g, 12), ow = gi(g, 13);
  let o: usize = 0;
  for (let p = 0; p < planes; p++) {
    const plane = x + ((<usize>p * h * w) << 2);
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        let best: f32 = -Infinity;
        let at = -1;
        for (let ki = 0; ki < kh; ki++) {
          const iy = oy * sh - ph + ki * dh;
          if (iy < 0 || iy >= h) continue;
          for (let kj = 0; kj < kw; kj++) {
            const ix = ox * sw - pw + kj * dw;
            if (ix < 0 || ix >= w) continue;
            const v = load<f32>(plane + ((<usize>iy * w + ix) << 2));
            if (at < 0 || v > best || (v != v && best == best)) {
              best = v;
              at = iy * w + ix;
            }
          }
        }
        store<f32>(out + (o << 2), best);
        store<f32>(argmax + (o << 2), <f32>max(at, 0));
        o++;
      }
    }
  }
}

/** gradX = 0, then each output gradient is added at its window's argmax. */
export function maxPool2dBackward(grad: usize, argmax: usize, g: usize, gradX: usize): void {
  const planes = gi(g, 0) * gi(g, 1), hw = gi(g, 2) * gi(g, 3), ohw = gi(g, 12) * gi(g, 13);
  memory.fill(gradX, 0, (<usize>planes * hw) << 2);
  let o: usize = 0;
  for (let p = 0; p < planes; p++) {
    const plane = gradX + ((<usize>p * hw) << 2);
    for (let i = 0; i < ohw; i++) {
      const q = plane + (<usize>(<i32>load<f32>(argmax + (o << 2))) << 2);
      store<f32>(q, load<f32>(q) + load<f32>(grad + (o << 2)));
      o++;
    }
  }
}

/** Mean over each window, padding counted as zeros (divides by kh*kw). */
export function avgPool2d(x: usize, g: usize, out: usize): void {
  const planes = gi(g, 0) * gi(g, 1), h = gi(g, 2), w = gi(g, 3), kh = gi(g, 4), kw = gi(g, 5);
  const sh = gi(g, 6), sw = gi(g, 7), ph = gi(g, 8), pw = gi(g, 9), dh = gi(g, 10), dw = gi(g, 11);
  const oh = gi(g, 12), ow = gi(g, 13);
  const count = <f32>(kh * kw);
  let o: usize = 0;
  for (let p = 0; p < planes; p++) {
    const plane = x + ((<usize>p * h * w) << 2);
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        let sum: f32 = 0;
        for (let ki = 0; ki < kh; ki++) {
          const iy = oy * sh - ph + ki * dh;
          if (iy < 0 || iy >= h) continue;
          for (let kj = 0; kj < kw; kj++) {
            const ix = ox * sw - pw + kj * dw;
            if (ix < 0 || ix >= w) continue;
            sum += load<f32>(plane + ((<usize>iy * w + ix) << 2));
          }
        }
        store<f32>(out + (o << 2), sum / count);
        o++;
      }
    }
  }
}

/** gradX = 0, then each output gradient / (kh*kw) is added to every input of its window. */
export function avgPool2dBackward(grad: usize, g: usize, gradX: usize): void {
  const planes = gi(g, 0) * gi(g, 1), h = gi(g, 2), w = gi(g, 3), kh = gi(g, 4), kw = gi(g, 5);
  const sh = gi(g, 6), sw = gi(g, 7), ph = gi(g, 8), pw = gi(g, 9), dh = gi(g, 10), dw = gi(g, 11);
  const oh = gi(g, 12), ow = gi(g, 13);
  const count = <f32>(kh * kw);
  memory.fill(gradX, 0, (<usize>planes * h * w) << 2);
  let o: usize = 0;
  for (let p = 0; p < planes; p++) {
    const plane = gradX + ((<usize>p * h * w) << 2);
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const gv = load<f32>(grad + (o << 2)) / count;
        for (let ki = 0; ki < kh; ki++) {
          const iy = oy * sh - ph + ki * dh;
          if (iy < 0 || iy >= h) continue;
          for (let kj = 0; kj < kw; kj++) {
            const ix = ox * sw - pw + kj * dw;
            if (ix < 0 || ix >= w) continue;
            const q = plane + ((<usize>iy * w + ix) << 2);
            store<f32>(q, load<f32>(q) + gv);
          }
        }
        o++;
      }
    }
  }
}
