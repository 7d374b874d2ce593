/**
 * The WebAssembly SIMD backend: float32 kernels in wasm over buffers in its linear memory,
 * float64 (and any call whose buffers are not in wasm memory) delegated to a JS fallback.
 */
import type { Backend, BinaryOp, ConvGeometry, DType, ReduceOp, Storage, TypedArray, UnaryOp } from '../backend';
import { WasmHeap, WasmStorage } from './heap';
import { instantiateKernels, type FmaChoice, type KernelExports, type WasmMemory } from './module';
import { BINARY_CODES, REDUCE_CODES, UNARY_CODES, mergeAxes } from './ops';

/** Options of `new WasmBackend(fallback, options)`. */
export interface WasmBackendOptions {
  /** Relaxed-SIMD FMA in the matmul: false (default, bit-for-bit reproducible), true, or 'auto'. */
  fma?: FmaChoice;
  /** Resident bytes above which every resident buffer is moved to the JS heap (default 256 MiB). */
  budgetBytes?: number;
  /** Matmul blocking: kc (depth), mc (rows of A), nc (columns of B) per block. */
  blocks?: { kc: number; mc: number; nc: number };
}

const MAX_DIMS = 16;
const GEOMETRY_KEYS = ['n', 'c', 'h', 'w', 'kh', 'kw', 'strideH', 'strideW', 'padH', 'padW', 'dilationH', 'dilationW', 'oh', 'ow'] as const;

/**
 * A Backend running float32 kernels in WebAssembly SIMD.
 * @example
 * const wasm = new WasmBackend(jsBackend);
 * const a = wasm.fromArray('float32', [1, 2, 3, 4]);
 * const c = wasm.alloc('float32', 4);
 * wasm.matmul(a.view(), a.view(), c.view(), 1, 2, 2, 2, 0, 0, false, false);
 * c.view(); // Float32Array [7, 10, 15, 22]
 */
export class WasmBackend implements Backend {
  readonly name = 'wasm';
  readonly kernels: KernelExports;
  readonly heap: WasmHeap;
  /** Whether the FMA build was loaded. */
  readonly fma: boolean;
  private readonly memory: WasmMemory;
  private readonly params: number;
  private readonly work: number;
  private readonly blocks: { kc: number; mc: number; nc: number };

  /** @param fallback runs float64 and anything whose buffers are not in wasm memory */
  constructor(readonly fallback: Backend, options: WasmBackendOptions = {}) {
    const { exports, fma } = instantiateKernels(options.fma ?? false);
    this.kernels = exports;
    this.fma = fma;
    this.memory = exports.memory;
    this.heap = new WasmHeap(this.memory, exports.heapBase(), options.budgetBytes ?? 256 * 2 ** 20);
    this.blocks = options.blocks ?? { kc: 256, mc: 128, nc: 1024 };
    const { kc, mc, nc } = this.blocks;
    // Scratch that never moves: kernel calls must not allocate (that could grow the memory and
    // detach the views the caller passed in).
    this.params = this.heap.allocator.alloc(4 * 5 * MAX_DIMS);
    this.work = this.heap.allocator.alloc(exports.matmulWorkBytes(kc, mc, nc));
  }

  alloc(dtype: DType, length: number): Storage {
    if (dtype !== 'float32') return this.fallback.alloc(dtype, length);
    const storage = this.heap.alloc(length);
    this.kernels.fill(storage.ptr, 0, length);
    return storage;
  }

  /**
   * A storage whose contents are undefined, for outputs a kernel overwrites completely (saves
   * the zero fill of `alloc`; worth adding to the Backend interface).
   * @example
   * const out = wasm.empty('float32', 1024);
   */
  empty(dtype: DType, length: number): Storage {
    if (dtype !== 'float32') return this.fallback.alloc(dtype, length);
    return this.heap.alloc(length);
  }

  fromArray(dtype: DType, values: ArrayLike<number>): Storage {
    if (dtype !== 'float32') return this.fallback.fromArray(dtype, values);
    const storage = this.heap.alloc(values.length);
    storage.view().set(values);
    return storage;
  }

  /** Frees a float32 storage nobody can see any more (see README: deterministic freeing). */
  release(storage: Storage): void {
    if (storage instanceof WasmStorage) this.heap.release(storage);
  }

  /** Moves a storage user code may still hold out of wasm memory (it stays usable). */
  evict(storage: Storage): void {
    if (storage instanceof WasmStorage) this.heap.evict(storage);
  }

  /** Brings evicted storages back before a kernel uses them (allocates: take views afterwards). */
  prepare(...storages: Storage[]): void {
    for (const s of storages) if (s instanceof WasmStorage) this.heap.makeResident(s);
  }

  /** Whether the array is a float32 view of this backend's wasm memory. */
  private on(x: TypedArray): boolean {
    return x instanceof Float32Array && x.buffer === this.memory.buffer;
  }

  unary(op: UnaryOp, x: TypedArray, out: TypedArray): void {
    if (!this.on(x) || !this.on(out)) return this.fallback.unary(op, x, out);
    this.kernels.unary(UNARY_CODES[op], x.byteOffset, out.byteOffset, out.length);
  }

  leakyRelu(x: TypedArray, slope: number, out: TypedArray): void {
    if (!this.on(x) || !this.on(out)) return this.fallback.leakyRelu(x, slope, out);
    this.kernels.leakyRelu(x.byteOffset, slope, out.byteOffset, out.length);
  }

  clamp(x: TypedArray, lo: number, hi: number, out: TypedArray): void {
    if (!this.on(x) || !this.on(out)) return this.fallback.clamp(x, lo, hi, out);
    this.kernels.clamp(x.byteOffset, lo, hi, out.byteOffset, out.length);
  }

  affine(x: TypedArray, a: number, b: number, out: TypedArray): void {
    if (!this.on(x) || !this.on(out)) return this.fallback.affine(x, a, b, out);
    this.kernels.affine(x.byteOffset, a, b, out.byteOffset, out.length);
  }

  binary(op: BinaryOp, a: TypedArray, aStrides: readonly number[], b: TypedArray, bStrides: readonly number[], outShape: readonly number[], out: TypedArray): void {
    if (!this.on(a) || !this.on(b) || !this.on(out) || outShape.length > MAX_DIMS) return this.fallback.binary(op, a, aStrides, b, bStrides, outShape, out);
    if (out.length === 0) return;
    const ndim = this.writeShape(outShape, [aStrides, bStrides]);
    this.kernels.binary(BINARY_CODES[op], a.byteOffset, b.byteOffset, out.byteOffset, ndim, this.params);
  }

  where(cond: TypedArray, cStrides: readonly number[], a: TypedArray, aStrides: readonly number[], b: TypedArray, bStrides: readonly number[], outShape: readonly number[], out: TypedArray): void {
    if (!this.on(cond) || !this.on(a) || !this.on(b) || !this.on(out) || outShape.length > MAX_DIMS) {
      return this.fallback.where(cond, cStrides, a, aStrides, b, bStrides, outShape, out);
    }
    if (out.length === 0) return;
    const ndim = this.writeShape(outShape, [cStrides, aStrides, bStrides]);
    this.kernels.where(cond.byteOffset, a.byteOffset, b.byteOffset, out.byteOffset, ndim, this.params);
  }

  copyStrided(x: TypedArray, offset: number, strides: readonly number[], shape: readonly number[], out: TypedArray): void {
    if (!this.on(x) || !this.on(out) || shape.length > MAX_DIMS) return this.fallback.copyStrided(x, offset, strides, shape, out);
    if (out.length === 0) return;
    const ndim = this.writeShape(shape, [strides]);
    this.kernels.copyStrided(x.byteOffset + 4 * offset, out.byteOffset, ndim, this.params);
  }

  reduce(op: ReduceOp, x: TypedArray, outer: number, size: number, inner: number, out: TypedArray): void {
    if (!this.on(x) || !this.on(out)) return this.fallback.reduce(op, x, outer, size, inner, out);
    this.kernels.reduce(REDUCE_CODES[op], x.byteOffset, out.byteOffset, outer, size, inner);
  }

  argReduce(op: 'max' | 'min', x: TypedArray, outer: number, size: number, inner: number, out: TypedArray): void {
    if (!this.on(x) || !this.on(out) || size === 0) return this.fallback.argReduce(op, x, outer, size, inner, out);
    this.kernels.argReduce(REDUCE_CODES[op], x.byteOffset, out.byteOffset, outer, size, inner);
  }

  matmul(a: TypedArray, b: TypedArray, out: TypedArray, batch: number, m: number, k: number, n: number, aBatchStride: number, bBatchStride: number, transA: boolean, transB: boolean): void {
    if (!this.on(a) || !this.on(b) || !this.on(out)) return this.fallback.matmul(a, b, out, batch, m, k, n, aBatchStride, bBatchStride, transA, transB);
    const { kc, mc, nc } = this.blocks;
    this.kernels.matmul(a.byteOffset, b.byteOffset, out.byteOffset, batch, m, k, n, aBatchStride, bBatchStride, transA ? 1 : 0, transB ? 1 : 0, this.work, kc, mc, nc);
  }

  /**
   * Row-wise softmax (or log-softmax with `log`) of x viewed as [rows, cols], in f64 per row.
   * @example
   * wasm.softmax(x.view(), 64, 10, out.view(), true); // logSoftmax over the last axis
   */
  softmax(x: TypedArray, rows: number, cols: number, out: TypedArray, log = false): void {
    this.ensureOn('softmax', x, out);
    this.kernels.softmax(x.byteOffset, out.byteOffset, rows, cols, log ? 1 : 0);
  }

  /**
   * Fused softmax cross-entropy over [rows, cols] logits with class indices in `labels`:
   * losses[r] = logsumexp(x[r]) - x[r, label], probs = softmax(x) (the gradient is
   * (probs - onehot) * upstream / rows for a mean).
   * @example
   * wasm.crossEntropy(logits.view(), labels.view(), 64, 10, losses.view(), probs.view());
   */
  crossEntropy(x: TypedArray, labels: TypedArray, rows: number, cols: number, losses: TypedArray, probs: TypedArray): void {
    this.ensureOn('crossEntropy', x, labels, losses, probs);
    this.kernels.crossEntropy(x.byteOffset, labels.byteOffset, rows, cols, losses.byteOffset, probs.byteOffset);
  }

  private ensureOn(name: string, ...arrays: TypedArray[]): void {
    if (!arrays.every((x) => this.on(x))) {
      throw new TypeError(`WasmBackend.${name}: every buffer must be a float32 view of this backend's memory; allocate it with wasm.alloc('float32', n) (or call wasm.prepare on evicted storages)`);
    }
  }

  /**
   * In-place SGD step on float32 arrays in wasm memory (PyTorch's formula; `velocity` is the
   * momentum buffer, unused when momentum is 0; `first` makes it a copy of the step).
   * @example
   * wasm.sgd(p.view(), g.view(), null, { lr: 0.1 });
   */
  sgd(param: TypedArray, grad: TypedArray, velocity: TypedArray | null, o: { lr: number; momentum?: number; dampening?: number; weightDecay?: number; nesterov?: boolean; first?: boolean }): void {
    const momentum = o.momentum ?? 0;
    this.ensureOn('sgd', param, grad, ...(momentum !== 0 || velocity !== null ? [velocity ?? new Float32Array(0)] : []));
    this.kernels.sgd(param.byteOffset, grad.byteOffset, velocity?.byteOffset ?? 0, param.length, o.lr, momentum, o.dampening ?? 0, o.weightDecay ?? 0, o.nesterov ? 1 : 0, o.first ? 1 : 0);
  }

  /**
   * In-place Adam (or AdamW with `decoupled`) step at step number `step` (1-based) on float32
   * arrays in wasm memory; `m` and `v` are the moment buffers.
   * @example
   * wasm.adam(p.view(), g.view(), m.view(), v.view(), { lr: 1e-3, step: 1 });
   */
  adam(param: TypedArray, grad: TypedArray, m: TypedArray, v: TypedArray, o: { lr: number; step: number; beta1?: number; beta2?: number; eps?: number; weightDecay?: number; decoupled?: boolean }): void {
    this.ensureOn('adam', param, grad, m, v);
    const b1 = o.beta1 ?? 0.9, b2 = o.beta2 ?? 0.999;
    const stepSize = o.lr / (1 - b1 ** o.step);
    const bc2Sqrt = Math.sqrt(1 - b2 ** o.step);
    this.kernels.adam(param.byteOffset, grad.byteOffset, m.byteOffset, v.byteOffset, param.length, o.lr, b1, b2, o.eps ?? 1e-8, o.weightDecay ?? 0, stepSize, bc2Sqrt, o.decoupled ? 1 : 0);
  }

  im2col(x: TypedArray, geometry: ConvGeometry, cols: TypedArray): void {
    if (!this.on(x) || !this.on(cols)) return this.fallback.im2col(x, geometry, cols);
    this.kernels.im2col(x.byteOffset, this.writeGeometry(geometry), cols.byteOffset);
  }

  col2im(cols: TypedArray, geometry: ConvGeometry, x: TypedArray): void {
    if (!this.on(x) || !this.on(cols)) return this.fallback.col2im(cols, geometry, x);
    this.kernels.col2im(cols.byteOffset, this.writeGeometry(geometry), x.byteOffset);
  }

  maxPool2d(x: TypedArray, geometry: ConvGeometry, out: TypedArray, argmax: TypedArray): void {
    if (!this.on(x) || !this.on(out) || !this.on(argmax)) return this.fallback.maxPool2d(x, geometry, out, argmax);
    this.kernels.maxPool2d(x.byteOffset, this.writeGeometry(geometry), out.byteOffset, argmax.byteOffset);
  }

  maxPool2dBackward(grad: TypedArray, argmax: TypedArray, geometry: ConvGeometry, gradX: TypedArray): void {
    if (!this.on(grad) || !this.on(argmax) || !this.on(gradX)) return this.fallback.maxPool2dBackward(grad, argmax, geometry, gradX);
    this.kernels.maxPool2dBackward(grad.byteOffset, argmax.byteOffset, this.writeGeometry(geometry), gradX.byteOffset);
  }

  avgPool2d(x: TypedArray, geometry: ConvGeometry, out: TypedArray): void {
    if (!this.on(x) || !this.on(out)) return this.fallback.avgPool2d(x, geometry, out);
    this.kernels.avgPool2d(x.byteOffset, this.writeGeometry(geometry), out.byteOffset);
  }

  avgPool2dBackward(grad: TypedArray, geometry: ConvGeometry, gradX: TypedArray): void {
    if (!this.on(grad) || !this.on(gradX)) return this.fallback.avgPool2dBackward(grad, geometry, gradX);
    this.kernels.avgPool2dBackward(grad.byteOffset, this.writeGeometry(geometry), gradX.byteOffset);
  }

  /** Writes shape and stride arrays (merged where contiguous) into the params block; returns ndim. */
  private writeShape(shape: readonly number[], strides: readonly (readonly number[])[]): number {
    const merged = mergeAxes(shape, strides);
    const ndim = merged.shape.length;
    const p = new Int32Array(this.memory.buffer, this.params, (strides.length + 2) * ndim);
    p.set(merged.shape, 0);
    merged.strides.forEach((s, i) => p.set(s, (i + 1) * ndim));
    return ndim;
  }

  private writeGeometry(g: ConvGeometry): number {
    const p = new Int32Array(this.memory.buffer, this.params, GEOMETRY_KEYS.length);
    GEOMETRY_KEYS.forEach((key, i) => { p[i] = g[key]; });
    return this.params;
  }
}
