/**
 * Straightforward reference kernels for matmul, im2col/col2im and pooling. They define the
 * results the fast kernels must reproduce, and serve until those are in place.
 */
import type { ConvGeometry, TypedArray } from '../backend';

export function matmul(a: TypedArray, b: TypedArray, out: TypedArray, batch: number, m: number, k: number, n: number, aBatchStride: number, bBatchStride: number, transA: boolean, transB: boolean): void {
  for (let t = 0; t < batch; t++) {
    const ao = t * aBatchStride;
    const bo = t * bBatchStride;
    const co = t * m * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let acc = 0;
        for (let p = 0; p < k; p++) acc += a[ao + (transA ? p * m + i : i * k + p)] * b[bo + (transB ? j * k + p : p * n + j)];
        out[co + i * n + j] = acc;
      }
    }
  }
}

export function im2col(x: TypedArray, g: ConvGeometry, cols: TypedArray): void {
  const plane = g.oh * g.ow;
  for (let b = 0; b < g.n; b++) {
    for (let c = 0; c < g.c; c++) {
      for (let ki = 0; ki < g.kh; ki++) {
        for (let kj = 0; kj < g.kw; kj++) {
          const row = ((b * g.c + c) * g.kh + ki) * g.kw + kj;
          for (let oy = 0; oy < g.oh; oy++) {
            const y = oy * g.strideH - g.padH + ki * g.dilationH;
            for (let ox = 0; ox < g.ow; ox++) {
              const xx = ox * g.strideW - g.padW + kj * g.dilationW;
              cols[row * plane + oy * g.ow + ox] = y >= 0 && y < g.h && xx >= 0 && xx < g.w ? x[((b * g.c + c) * g.h + y) * g.w + xx] : 0;
            }
          }
        }
      }
    }
  }
}

export function col2im(cols: TypedArray, g: ConvGeometry, x: TypedArray): void {
  x.fill(0);
  const plane = g.oh * g.ow;
  for (let b = 0; b < g.n; b++) {
    for (let c = 0; c < g.c; c++) {
      for (let ki = 0; ki < g.kh; ki++) {
        for (let kj = 0; kj < g.kw; kj++) {
          const row = ((b * g.c + c) * g.kh + ki) * g.kw + kj;
          for (let oy = 0; oy < g.oh; oy++) {
            const y = oy * g.strideH - g.padH + ki * g.dilationH;
            if (y < 0 || y >= g.h) continue;
            for (let ox = 0; ox < g.ow; ox++) {
              const xx = ox * g.strideW - g.padW + kj * g.dilationW;
              if (xx >= 0 && xx < g.w) x[((b * g.c + c) * g.h + y) * g.w + xx] += cols[row * plane + oy * g.ow + ox];
            }
          }
        }
      }
    }
  }
}

export function maxPool2d(x: TypedArray, g: ConvGeometry, out: TypedArray, argmax: TypedArray): void {
  for (let p = 0; p < g.n * g.c; p++) {
    for (let oy = 0; oy < g.oh; oy++) {
      for (let ox = 0; ox < g.ow; ox++) {
        let best = -Infinity;
        let at = -1;
        for (let ki = 0; ki < g.kh; ki++) {
          const y = oy * g.strideH - g.padH + ki * g.dilationH;
          if (y < 0 || y >= g.h) continue;
          for (let kj = 0; kj < g.kw; kj++) {
            const xx = ox * g.strideW - g.padW + kj * g.dilationW;
            if (xx < 0 || xx >= g.w) continue;
            const v = x[(p * g.h + y) * g.w + xx];
            if (at < 0 || v > best || (v !== v && best === best)) {
              best = v;
              at = y * g.w + xx;
            }
          }
        }
        const o = (p * g.oh + oy) * g.ow + ox;
        out[o] = best;
        argmax[o] = at;
      }
    }
  }
}

export function maxPool2dBackward(grad: TypedArray, argmax: TypedArray, g: ConvGeometry, gradX: TypedArray): void {
  gradX.fill(0);
  const plane = g.oh * g.ow;
  for (let p = 0; p < g.n * g.c; p++) {
    for (let o = 0; o < plane; o++) gradX[p * g.h * g.w + argmax[p * plane + o]] += grad[p * plane + o];
  }
}

export function avgPool2d(x: TypedArray, g: ConvGeometry, out: TypedArray): void {
  const area = g.kh * g.kw;
  for (let p = 0; p < g.n * g.c; p++) {
    for (let oy = 0; oy < g.oh; oy++) {
      for (let ox = 0; ox < g.ow; ox++) {
        let acc = 0;
        for (let ki = 0; ki < g.kh; ki++) {
          const y = oy * g.strideH - g.padH + ki * g.dilationH;
          if (y < 0 || y >= g.h) continue;
          for (let kj = 0; kj < g.kw; kj++) {
            const xx = ox * g.strideW - g.padW + kj * g.dilationW;
            if (xx >= 0 && xx < g.w) acc += x[(p * g.h + y) * g.w + xx];
          }
        }
        out[(p * g.oh + oy) * g.ow + ox] = acc / area;
      }
    }
  }
}

export function avgPool2dBackward(grad: TypedArray, g: ConvGeometry, gradX: TypedArray): void {
  gradX.fill(0);
  const area = g.kh * g.kw;
  for (let p = 0; p < g.n * g.c; p++) {
    for (let oy = 0; oy < g.oh; oy++) {
      for (let ox = 0; ox < g.ow; ox++) {
        const share = grad[(p * g.oh + oy) * g.ow + ox] / area;
        for (let ki = 0; ki < g.kh; ki++) {
          const y = oy * g.strideH - g.padH + ki * g.dilationH;
          if (y < 0 || y >= g.h) continue;
          for (let kj = 0; kj < g.kw; kj++) {
            const xx = ox * g.strideW - g.padW + kj * g.dilationW;
            if (xx >= 0 && xx < g.w) gradX[(p * g.h + y) * g.w + xx] += share;
          }
        }
      }
    }
  }
}
