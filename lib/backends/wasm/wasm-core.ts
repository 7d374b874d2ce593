/**
 * The WebAssembly SIMD backend: float32 kernels in wasm over buffers in its linear memory,
 * float64 (and any call whose buffers are not in wasm memory) delegated to a JS fallback.
 */
import type { Backend, BinaryOp, ConvGeometry, DType, ReduceOp, Storage, TypedArray, UnaryOp } from '../backend';
import { WasmHeap, WasmStorage } from './heap';
import { instantiateKernels, type FmaChoice, type KernelExports, type WasmMemory } from './module';
import { BINARY_CODES, REDUCE_CODES, UNARY_CODES, mergeAxes } from './ops';
import { splitMatmul, type MatmulHelpers } from './parallel';

/** Options of `new WasmBackend(fallback, options)`. */
export interface WasmBackendOptions {
  /** Relaxed-SIMD FMA in the matmul: false (default, bit-for-bit reproducible), true, or 'auto'. */
  fma?: FmaChoice;
  /** Resident bytes above which every resident buffer is moved to the JS heap (default 256 MiB). */
  budgetBytes?: number;
  /** Matmul blocking: kc (depth), mc (rows of A), nc (columns of B) per block. */
  blocks?: { kc: number; mc: number; nc: number };
  /**
   * Kernels already instantiated (a shared-memory build, for threads) instead of a new instance
   * of the default build; `fma` says which matmul they carry. @internal
   */
  kernels?: { exports: KernelExports; fma: boolean };
  /** Helper threads over the same (shared) memory that take parts of large matmuls. @internal */
  helpers?: MatmulHelpers;
}

const MAX_DIMS = 16;
const GEOMETRY_KEYS = [
  'n',
  'c',
  'h',
  'w',
  'kh',
  'kw',
  'strideH',
  'strideW',
  'padH',
  'padW',
  'dilationH',
  'dilationW',
  'oh',
  'ow',
] as const;

/**
 * The core of WasmBackend (lib/backends/wasm/wasm-backend.ts): storage in wasm memory, the
 * elementwise kernels, reductions and the matmul, each falling back to JS off wasm memory.
 */
export abstract class WasmCore implements Partial<Backend> {
  readonly name = 'wasm';
  readonly kernels: KernelExports;
  readonly heap: WasmHeap;
  /** Whether the FMA build was loaded. */
  readonly fma: boolean;
  protected readonly memory: WasmMemory;
  protected readonly params: number;
  protected readonly work: number;
  /** Four 16-byte slots for number operands of binary kernels (see `scalar`). */
  protected readonly scalars: number;
  protected readonly blocks: { kc: number; mc: number; nc: number };
  /** Helper threads for large matmuls, or null (one thread). */
  readonly helpers: MatmulHelpers | null;
  /** Each helper's matmul scratch (as `work` is the calling thread's). */
  private readonly helperWork: number[] = [];

  /** @param fallback runs float64 and anything whose buffers are not in wasm memory */
  constructor(
    readonly fallback: Backend,
    options: WasmBackendOptions = {},
  ) {
    const { exports, fma } = options.kernels ?? instantiateKernels(options.fma ?? false);
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
    this.scalars = this.heap.allocator.alloc(64);
    this.helpers = options.helpers ?? null;
    for (let i = 0; i < (this.helpers?.size ?? 0); i++)
      this.helperWork.push(this.heap.allocator.alloc(exports.matmulWorkBytes(kc, mc, nc)));
  }

  /**
   * A one-element float32 view of wasm memory holding `x` (slot 0 to 3: one per number operand
   * of a kernel call), so a tensor-and-number op runs in wasm. Valid until the next allocation.
   * @example
   * wasm.binary('mul', x.view(), [1], wasm.scalar(2, 1), [0], [n], out.view());
   */
  scalar(x: number, slot: number): Float32Array {
    const view = new Float32Array(this.memory.buffer, this.scalars + 16 * slot, 1);
    view[0] = x;
    return view;
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
    if (storage instanceof WasmStorage && storage.heap === this.heap) this.heap.release(storage);
  }

  /** Moves a storage user code may still hold out of wasm memory (it stays usable). */
  evict(storage: Storage): void {
    if (storage instanceof WasmStorage && storage.heap === this.heap) this.heap.evict(storage);
  }

  /** Brings evicted storages back before a kernel uses them (allocates: take views afterwards). */
  prepare(...storages: Storage[]): void {
    for (const s of storages) if (s instanceof WasmStorage) this.heap.makeResident(s);
  }

  /** Whether the array is a float32 view of this backend's wasm memory. */
  /** Whether `x` is a float32 view of this backend's memory (so kernels can take it). */
  holds(x: TypedArray): boolean {
    return x instanceof Float32Array && x.buffer === this.memory.buffer;
  }

  unary(op: UnaryOp, x: TypedArray, out: TypedArray): void {
    if (!this.holds(x) || !this.holds(out)) return this.fallback.unary(op, x, out);
    this.kernels.unary(UNARY_CODES[op], x.byteOffset, out.byteOffset, out.length);
  }

  leakyRelu(x: TypedArray, slope: number, out: TypedArray): void {
    if (!this.holds(x) || !this.holds(out)) return this.fallback.leakyRelu(x, slope, out);
    this.kernels.leakyRelu(x.byteOffset, slope, out.byteOffset, out.length);
  }

  clamp(x: TypedArray, lo: number, hi: number, out: TypedArray): void {
    if (!this.holds(x) || !this.holds(out)) return this.fallback.clamp(x, lo, hi, out);
    this.kernels.clamp(x.byteOffset, lo, hi, out.byteOffset, out.length);
  }

  affine(x: TypedArray, a: number, b: number, out: TypedArray): void {
    if (!this.holds(x) || !this.holds(out)) return this.fallback.affine(x, a, b, out);
    this.kernels.affine(x.byteOffset, a, b, out.byteOffset, out.length);
  }

  binary(
    op: BinaryOp,
    a: TypedArray,
    aStrides: readonly number[],
    b: TypedArray,
    bStrides: readonly number[],
    outShape: readonly number[],
    out: TypedArray,
  ): void {
    if (!this.holds(a) || !this.holds(b) || !this.holds(out) || outShape.length > MAX_DIMS)
      return this.fallback.binary(op, a, aStrides, b, bStrides, outShape, out);
    if (out.length === 0) return;
    const ndim = this.writeShape(outShape, [aStrides, bStrides]);
    this.kernels.binary(BINARY_CODES[op], a.byteOffset, b.byteOffset, out.byteOffset, ndim, this.params);
  }

  where(
    cond: TypedArray,
    cStrides: readonly number[],
    a: TypedArray,
    aStrides: readonly number[],
    b: TypedArray,
    bStrides: readonly number[],
    outShape: readonly number[],
    out: TypedArray,
  ): void {
    if (!this.holds(cond) || !this.holds(a) || !this.holds(b) || !this.holds(out) || outShape.length > MAX_DIMS) {
      return this.fallback.where(cond, cStrides, a, aStrides, b, bStrides, outShape, out);
    }
    if (out.length === 0) return;
    const ndim = this.writeShape(outShape, [cStrides, aStrides, bStrides]);
    this.kernels.where(cond.byteOffset, a.byteOffset, b.byteOffset, out.byteOffset, ndim, this.params);
  }

  copyStrided(
    x: TypedArray,
    offset: number,
    strides: readonly number[],
    shape: readonly number[],
    out: TypedArray,
  ): void {
    if (!this.holds(x) || !this.holds(out) || shape.length > MAX_DIMS)
      return this.fallback.copyStrided(x, offset, strides, shape, out);
    if (out.length === 0) return;
    const ndim = this.writeShape(shape, [strides]);
    this.kernels.copyStrided(x.byteOffset + 4 * offset, out.byteOffset, ndim, this.params);
  }

  reduce(op: ReduceOp, x: TypedArray, outer: number, size: number, inner: number, out: TypedArray): void {
    if (!this.holds(x) || !this.holds(out)) return this.fallback.reduce(op, x, outer, size, inner, out);
    this.kernels.reduce(REDUCE_CODES[op], x.byteOffset, out.byteOffset, outer, size, inner);
  }

  argReduce(op: 'max' | 'min', x: TypedArray, outer: number, size: number, inner: number, out: TypedArray): void {
    if (!this.holds(x) || !this.holds(out) || size === 0)
      return this.fallback.argReduce(op, x, outer, size, inner, out);
    this.kernels.argReduce(REDUCE_CODES[op], x.byteOffset, out.byteOffset, outer, size, inner);
  }

  matmul(
    a: TypedArray,
    b: TypedArray,
    out: TypedArray,
    batch: number,
    m: number,
    k: number,
    n: number,
    aBatchStride: number,
    bBatchStride: number,
    transA: boolean,
    transB: boolean,
  ): void {
    if (!this.holds(a) || !this.holds(b) || !this.holds(out))
      return this.fallback.matmul(a, b, out, batch, m, k, n, aBatchStride, bBatchStride, transA, transB);
    const { kc, mc, nc } = this.blocks;
    const helpers = this.helpers;
    if (helpers !== null && 2 * batch * m * k * n >= helpers.minFlops) {
      const call = [a.byteOffset, b.byteOffset, out.byteOffset, batch, m, k, n, aBatchStride, bBatchStride];
      const rest = [transA ? 1 : 0, transB ? 1 : 0, this.work, kc, mc, nc];
      if (splitMatmul(this.kernels.matmul, helpers, this.helperWork, [...call, ...rest])) return;
    }
    this.kernels.matmul(
      a.byteOffset,
      b.byteOffset,
      out.byteOffset,
      batch,
      m,
      k,
      n,
      aBatchStride,
      bBatchStride,
      transA ? 1 : 0,
      transB ? 1 : 0,
      this.work,
      kc,
      mc,
      nc,
      0,
      m,
      0,
      n,
    );
  }

  protected ensureOn(name: string, ...arrays: TypedArray[]): void {
    if (!arrays.every((x) => this.holds(x))) {
      throw new TypeError(
        `WasmBackend.${name}: every buffer must be a float32 view of this backend's memory; allocate it with wasm.alloc('float32', n) (or call wasm.prepare on evicted storages)`,
      );
    }
  }

  /** Writes shape and stride arrays (merged where contiguous) into the params block; returns ndim. */
  protected writeShape(shape: readonly number[], strides: readonly (readonly number[])[]): number {
    const merged = mergeAxes(shape, strides);
    const ndim = merged.shape.length;
    const p = new Int32Array(this.memory.buffer, this.params, (strides.length + 2) * ndim);
    p.set(merged.shape, 0);
    merged.strides.forEach((s, i) => p.set(s, (i + 1) * ndim));
    return ndim;
  }

  protected writeGeometry(g: ConvGeometry): number {
    const p = new Int32Array(this.memory.buffer, this.params, GEOMETRY_KEYS.length);
    GEOMETRY_KEYS.forEach((key, i) => {
      p[i] = g[key];
    });
    return this.params;
  }
}
