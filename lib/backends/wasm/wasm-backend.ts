/**
 * The WebAssembly SIMD backend: the core kernels of WasmCore (elementwise, reductions, matmul)
 * plus the fused training kernels (softmax, cross-entropy, optimiser steps) and conv/pooling.
 */
import type { Backend, ConvGeometry, TypedArray } from '../backend';
import { WasmCore } from './wasm-core';

export type { WasmBackendOptions } from './wasm-core';

/**
 * One Adam step's constants, each rounded to the parameter's precision, as the JS loop and the
 * wasm kernel use them: decay = 1 - lr*wd, weight = 1 - beta1, c2 = 1 - beta2,
 * negStep = -lr / (1 - beta1^t), bc2Sqrt = sqrt(1 - beta2^t); decayMode 0 none, 1 Adam's L2,
 * 2 AdamW's decoupled decay.
 */
export interface AdamConstants {
  wd: number;
  decay: number;
  weight: number;
  b2: number;
  c2: number;
  eps: number;
  negStep: number;
  bc2Sqrt: number;
  decayMode: 0 | 1 | 2;
}

/**
 * A Backend running float32 kernels in WebAssembly SIMD.
 * @example
 * const wasm = new WasmBackend(jsBackend);
 * const a = wasm.fromArray('float32', [1, 2, 3, 4]);
 * const c = wasm.alloc('float32', 4);
 * wasm.matmul(a.view(), a.view(), c.view(), 1, 2, 2, 2, 0, 0, false, false);
 * c.view(); // Float32Array [7, 10, 15, 22]
 */
export class WasmBackend extends WasmCore implements Backend {
  /**
   * Row-wise softmax (or log-softmax with `log`) of x viewed as [rows, cols], in f64 per row.
   * @example
   * wasm.softmax(x.view(), 64, 10, out.view(), true); // logSoftmax over the last axis
   */
  softmax(x: TypedArray, rows: number, cols: number, out: TypedArray, log = false): void {
    this.ensureOn('softmax', x, out);
    this.kernels.softmax(x.byteOffset, out.byteOffset, rows, cols, log ? 1 : 0);
  }

  softmaxCrossEntropy(
    x: TypedArray,
    targets: TypedArray,
    rows: number,
    cols: number,
    losses: TypedArray,
    probs: TypedArray,
  ): void {
    if (![x, targets, losses, probs].every((a) => this.holds(a)))
      return this.fallback.softmaxCrossEntropy(x, targets, rows, cols, losses, probs);
    this.kernels.crossEntropy(x.byteOffset, targets.byteOffset, rows, cols, losses.byteOffset, probs.byteOffset);
  }

  /**
   * In-place SGD step on float32 arrays in wasm memory (PyTorch's formula; `velocity` is the
   * momentum buffer, unused when momentum is 0; `first` makes it a copy of the step).
   * @example
   * wasm.sgd(p.view(), g.view(), null, { lr: 0.1 });
   */
  sgd(
    param: TypedArray,
    grad: TypedArray,
    velocity: TypedArray | null,
    o: { lr: number; momentum?: number; dampening?: number; weightDecay?: number; nesterov?: boolean; first?: boolean },
  ): void {
    const momentum = o.momentum ?? 0;
    this.ensureOn(
      'sgd',
      param,
      grad,
      ...(momentum !== 0 || velocity !== null ? [velocity ?? new Float32Array(0)] : []),
    );
    this.kernels.sgd(
      param.byteOffset,
      grad.byteOffset,
      velocity?.byteOffset ?? 0,
      param.length,
      o.lr,
      momentum,
      Math.fround(1 - (o.dampening ?? 0)),
      o.weightDecay ?? 0,
      o.nesterov ? 1 : 0,
      o.first ? 1 : 0,
    );
  }

  /**
   * In-place Adam (or AdamW) step on float32 arrays in wasm memory; `m` and `v` are the moment
   * buffers and `c` the step's constants from `adamConstants` (lib/optim/tensor-update.ts), so
   * the result is the JS loop's (and PyTorch's) bit for bit.
   * @example
   * wasm.adam(p.view(), g.view(), m.view(), v.view(), adamConstants({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, step: 1, decoupled: false }, Math.fround));
   */
  adam(param: TypedArray, grad: TypedArray, m: TypedArray, v: TypedArray, c: AdamConstants): void {
    this.ensureOn('adam', param, grad, m, v);
    this.kernels.adam(
      param.byteOffset,
      grad.byteOffset,
      m.byteOffset,
      v.byteOffset,
      param.length,
      c.wd,
      c.decay,
      c.weight,
      c.b2,
      c.c2,
      c.eps,
      c.negStep,
      c.bc2Sqrt,
      c.decayMode,
    );
  }

  im2col(x: TypedArray, geometry: ConvGeometry, cols: TypedArray): void {
    if (!this.holds(x) || !this.holds(cols)) return this.fallback.im2col(x, geometry, cols);
    this.kernels.im2col(x.byteOffset, this.writeGeometry(geometry), cols.byteOffset);
  }

  col2im(cols: TypedArray, geometry: ConvGeometry, x: TypedArray): void {
    if (!this.holds(x) || !this.holds(cols)) return this.fallback.col2im(cols, geometry, x);
    this.kernels.col2im(cols.byteOffset, this.writeGeometry(geometry), x.byteOffset);
  }

  maxPool2d(x: TypedArray, geometry: ConvGeometry, out: TypedArray, argmax: TypedArray): void {
    if (!this.holds(x) || !this.holds(out) || !this.holds(argmax))
      return this.fallback.maxPool2d(x, geometry, out, argmax);
    this.kernels.maxPool2d(x.byteOffset, this.writeGeometry(geometry), out.byteOffset, argmax.byteOffset);
  }

  maxPool2dBackward(grad: TypedArray, argmax: TypedArray, geometry: ConvGeometry, gradX: TypedArray): void {
    if (!this.holds(grad) || !this.holds(argmax) || !this.holds(gradX))
      return this.fallback.maxPool2dBackward(grad, argmax, geometry, gradX);
    this.kernels.maxPool2dBackward(grad.byteOffset, argmax.byteOffset, this.writeGeometry(geometry), gradX.byteOffset);
  }

  avgPool2d(x: TypedArray, geometry: ConvGeometry, out: TypedArray): void {
    if (!this.holds(x) || !this.holds(out)) return this.fallback.avgPool2d(x, geometry, out);
    this.kernels.avgPool2d(x.byteOffset, this.writeGeometry(geometry), out.byteOffset);
  }

  avgPool2dBackward(grad: TypedArray, geometry: ConvGeometry, gradX: TypedArray): void {
    if (!this.holds(grad) || !this.holds(gradX)) return this.fallback.avgPool2dBackward(grad, geometry, gradX);
    this.kernels.avgPool2dBackward(grad.byteOffset, this.writeGeometry(geometry), gradX.byteOffset);
  }
}
