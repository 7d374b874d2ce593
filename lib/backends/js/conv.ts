/**
 * im2col and its adjoint col2im for NCHW 2-D convolution (the JS backend's conv kernels): a
 * convolution becomes one matmul of the weights [cOut, c*kh*kw] with the columns
 * [c*kh*kw, oh*ow] of each batch entry, and its input gradient is col2im of W^T · gradOut.
 *
 * Layout of `cols` ([n, c*kh*kw, oh*ow]): row r = (ci*kh + ki)*kw + kj, column oy*ow + ox holds
 * x[b, ci, oy*strideH - padH + ki*dilationH, ox*strideW - padW + kj*dilationW], or 0 where that
 * falls in the padding. The output sizes oh, ow come from the caller (PyTorch's formula).
 * @internal
 */
import type { ConvGeometry, TypedArray } from '../backend';

/**
 * Unfolds every kh×kw window of x [n, c, h, w] into a column of `cols` [n, c*kh*kw, oh*ow].
 * @example
 * // 1×1×3×3 input, 2×2 kernel, stride 1, no padding: 4 rows × 4 window positions
 * const g = { n: 1, c: 1, h: 3, w: 3, kh: 2, kw: 2, strideH: 1, strideW: 1, padH: 0, padW: 0, dilationH: 1, dilationW: 1, oh: 2, ow: 2 };
 * const cols = new Float64Array(16);
 * im2col(new Float64Array([1, 2, 3, 4, 5, 6, 7, 8, 9]), g, cols);
 * // cols = [1,2,4,5, 2,3,5,6, 4,5,7,8, 5,6,8,9]
 */
export function im2col(x: TypedArray, g: ConvGeometry, cols: TypedArray): void {
  const { n, c, h, w, kh, kw, strideH, strideW, padH, padW, dilationH, dilationW, oh, ow } = g;
  const plane = h * w;
  let dst = 0;
  for (let b = 0; b < n; b++) {
    for (let ci = 0; ci < c; ci++) {
      const src = (b * c + ci) * plane;
      for (let ki = 0; ki < kh; ki++) {
        for (let kj = 0; kj < kw; kj++) {
          const dx = kj * dilationW - padW;
          const ox0 = firstValid(dx, strideW, ow);
          const ox1 = endValid(dx, strideW, w, ow, ox0);
          for (let oy = 0; oy < oh; oy++) {
            const iy = oy * strideH - padH + ki * dilationH;
            if (iy < 0 || iy >= h) {
              cols.fill(0, dst, dst + ow);
              dst += ow;
              continue;
            }
            const row = src + iy * w + dx;
            let ox = 0;
            for (; ox < ox0; ox++) cols[dst++] = 0;
            for (; ox < ox1; ox++) cols[dst++] = x[row + ox * strideW];
            for (; ox < ow; ox++) cols[dst++] = 0;
          }
        }
      }
    }
  }
}

/**
 * The adjoint of `im2col`: overwrites x [n, c, h, w] with the sum, over every column entry of
 * `cols`, of that entry at the input position it was read from (padding entries are dropped).
 * Overlapping windows add up in the order im2col writes them (c, ki, kj, oy, ox).
 * @example
 * // with g as in im2col's example, col2im of all-ones columns counts the windows covering each pixel
 * const x = new Float64Array(9);
 * col2im(new Float64Array(16).fill(1), g, x);
 * // x = [1,2,1, 2,4,2, 1,2,1]
 */
export function col2im(cols: TypedArray, g: ConvGeometry, x: TypedArray): void {
  const { n, c, h, w, kh, kw, strideH, strideW, padH, padW, dilationH, dilationW, oh, ow } = g;
  const plane = h * w;
  x.fill(0, 0, n * c * plane);
  let src = 0;
  for (let b = 0; b < n; b++) {
    for (let ci = 0; ci < c; ci++) {
      const dstPlane = (b * c + ci) * plane;
      for (let ki = 0; ki < kh; ki++) {
        for (let kj = 0; kj < kw; kj++) {
          const dx = kj * dilationW - padW;
          const ox0 = firstValid(dx, strideW, ow);
          const ox1 = endValid(dx, strideW, w, ow, ox0);
          for (let oy = 0; oy < oh; oy++, src += ow) {
            const iy = oy * strideH - padH + ki * dilationH;
            if (iy < 0 || iy >= h) continue;
            const row = dstPlane + iy * w + dx;
            for (let ox = ox0; ox < ox1; ox++) x[row + ox * strideW] += cols[src + ox];
          }
        }
      }
    }
  }
}

/** The first output column ox whose input column ox*stride + offset is >= 0 (at most ow). */
function firstValid(offset: number, stride: number, ow: number): number {
  return offset >= 0 ? 0 : Math.min(Math.ceil(-offset / stride), ow);
}

/** One past the last output column whose input column ox*stride + offset is < w (at least ox0). */
function endValid(offset: number, stride: number, w: number, ow: number, ox0: number): number {
  const end = w - 1 - offset < 0 ? 0 : Math.floor((w - 1 - offset) / stride) + 1;
  return Math.max(ox0, Math.min(end, ow));
}
