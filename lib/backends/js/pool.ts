/**
 * 2-D max and average pooling over NCHW inputs and their backward kernels (the JS backend's
 * pooling kernels). Window (oy, ox) of a channel plane covers the input rows
 * oy*strideH - padH + ki*dilationH (ki < kh) and columns likewise; positions in the padding are
 * skipped by max pooling (as PyTorch's -inf padding) and count as zeros for average pooling
 * (PyTorch's default count_include_pad=true). The backward kernels overwrite `gradX`.
 * @internal
 */
import type { ConvGeometry, TypedArray } from '../backend';

/**
 * Max over each window; `argmax` receives the flat index iy*w + ix (within the channel plane)
 * of the value taken. Ties go to the first position in row-major window order; a NaN always
 * wins (the last NaN in the window, as PyTorch's CPU kernel). A window lying wholly in the
 * padding gives -Infinity and index -1.
 * @example
 * const g = { n: 1, c: 1, h: 2, w: 2, kh: 2, kw: 2, strideH: 2, strideW: 2, padH: 0, padW: 0, dilationH: 1, dilationW: 1, oh: 1, ow: 1 };
 * const out = new Float64Array(1), argmax = new Float64Array(1);
 * maxPool2d(new Float64Array([1, 4, 4, 2]), g, out, argmax);   // out = [4], argmax = [1]
 */
export function maxPool2d(x: TypedArray, g: ConvGeometry, out: TypedArray, argmax: TypedArray): void {
  const { n, c, h, w, kh, kw, strideH, strideW, padH, padW, dilationH, dilationW, oh, ow } = g;
  const plane = h * w;
  let o = 0;
  for (let p = 0; p < n * c; p++) {
    const base = p * plane;
    for (let oy = 0; oy < oh; oy++) {
      const y0 = oy * strideH - padH;
      for (let ox = 0; ox < ow; ox++, o++) {
        const x0 = ox * strideW - padW;
        let best = -Infinity;
        let index = -1;
        for (let ki = 0; ki < kh; ki++) {
          const iy = y0 + ki * dilationH;
          if (iy < 0 || iy >= h) continue;
          for (let kj = 0; kj < kw; kj++) {
            const ix = x0 + kj * dilationW;
            if (ix < 0 || ix >= w) continue;
            const at = iy * w + ix;
            const v = x[base + at];
            if (index < 0 || v > best || v !== v) {
              best = v;
              index = at;
            }
          }
        }
        out[o] = best;
        argmax[o] = index;
      }
    }
  }
}

/**
 * Backward of `maxPool2d`: gradX (overwritten) receives each output gradient at the input
 * position its window's max came from; overlapping windows that chose the same input add up.
 * @example
 * const gradX = new Float64Array(4);
 * maxPool2dBackward(new Float64Array([5]), new Float64Array([1]), g, gradX);   // gradX = [0, 5, 0, 0]
 */
export function maxPool2dBackward(grad: TypedArray, argmax: TypedArray, g: ConvGeometry, gradX: TypedArray): void {
  const { n, c, h, w, oh, ow } = g;
  const plane = h * w;
  const outPlane = oh * ow;
  gradX.fill(0, 0, n * c * plane);
  for (let p = 0; p < n * c; p++) {
    const base = p * plane;
    for (let o = p * outPlane, end = o + outPlane; o < end; o++) {
      const at = argmax[o];
      if (at >= 0) gradX[base + at] += grad[o];
    }
  }
}

/**
 * Mean over each window, padding counted as zeros: the window's in-range values are summed in
 * row-major order and divided by the number of window positions inside the padded input
 * (kh*kw unless the caller's oh/ow let a window run past the padding, as with ceil_mode).
 * @example
 * const out = new Float64Array(1);
 * avgPool2d(new Float64Array([1, 4, 4, 2]), g, out);   // out = [2.75]
 */
export function avgPool2d(x: TypedArray, g: ConvGeometry, out: TypedArray): void {
  const { n, c, h, w, kh, kw, strideH, strideW, padH, padW, dilationH, dilationW, oh, ow } = g;
  const plane = h * w;
  let o = 0;
  for (let p = 0; p < n * c; p++) {
    const base = p * plane;
    for (let oy = 0; oy < oh; oy++) {
      const y0 = oy * strideH - padH;
      const rows = windowCount(y0, kh, dilationH, h + padH);
      for (let ox = 0; ox < ow; ox++, o++) {
        const x0 = ox * strideW - padW;
        let sum = 0;
        for (let ki = 0; ki < kh; ki++) {
          const iy = y0 + ki * dilationH;
          if (iy < 0 || iy >= h) continue;
          for (let kj = 0; kj < kw; kj++) {
            const ix = x0 + kj * dilationW;
            if (ix >= 0 && ix < w) sum += x[base + iy * w + ix];
          }
        }
        out[o] = sum / (rows * windowCount(x0, kw, dilationW, w + padW));
      }
    }
  }
}

/**
 * Backward of `avgPool2d`: gradX (overwritten) receives grad / count at every in-range
 * position of each window (count as in the forward pass), summed where windows overlap.
 * @example
 * const gradX = new Float64Array(4);
 * avgPool2dBackward(new Float64Array([8]), g, gradX);   // gradX = [2, 2, 2, 2]
 */
export function avgPool2dBackward(grad: TypedArray, g: ConvGeometry, gradX: TypedArray): void {
  const { n, c, h, w, kh, kw, strideH, strideW, padH, padW, dilationH, dilationW, oh, ow } = g;
  const plane = h * w;
  gradX.fill(0, 0, n * c * plane);
  let o = 0;
  for (let p = 0; p < n * c; p++) {
    const base = p * plane;
    for (let oy = 0; oy < oh; oy++) {
      const y0 = oy * strideH - padH;
      const rows = windowCount(y0, kh, dilationH, h + padH);
      for (let ox = 0; ox < ow; ox++, o++) {
        const x0 = ox * strideW - padW;
        const share = grad[o] / (rows * windowCount(x0, kw, dilationW, w + padW));
        for (let ki = 0; ki < kh; ki++) {
          const iy = y0 + ki * dilationH;
          if (iy < 0 || iy >= h) continue;
          for (let kj = 0; kj < kw; kj++) {
            const ix = x0 + kj * dilationW;
            if (ix >= 0 && ix < w) gradX[base + iy * w + ix] += share;
          }
        }
      }
    }
  }
}

/** Window positions start + k*dilation (k < size) before `limit` (the padded input's end). */
function windowCount(start: number, size: number, dilation: number, limit: number): number {
  if (start >= limit) return 0;
  return Math.min(size, Math.floor((limit - 1 - start) / dilation) + 1);
}
