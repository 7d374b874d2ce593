/**
 * Loads the WebAssembly kernels synchronously from the base64 modules (no file system, no
 * fetch). With FMA (when asked and `WebAssembly.validate` accepts relaxed SIMD), the small FMA
 * module's matmul, which imports the main module's memory, replaces the main one's. Each call
 * to `instantiateKernels` gives a fresh instance with its own memory.
 * @internal
 */
import { KERNELS_WASM } from './kernels-base64';
import { KERNELS_FMA_WASM } from './kernels-fma-base64';

/** The part of a WebAssembly.Memory the backend uses (typed here: the project's lib has no DOM types). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** The part of the global WebAssembly object the loader uses. */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}

const wasmApi = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

/** The kernel exports (pointers are byte offsets; see lib/backends/wasm/assembly). */
export interface KernelExports {
  memory: WasmMemory;
  heapBase(): number;
  matmulWorkBytes(kc: number, mc: number, nc: number): number;
  /** A free function (wasm exports use no `this`), so it can be passed around unbound. */
  matmul: (
    a: number,
    b: number,
    c: number,
    batch: number,
    m: number,
    k: number,
    n: number,
    aBatchStride: number,
    bBatchStride: number,
    transA: number,
    transB: number,
    work: number,
    kc: number,
    mc: number,
    nc: number,
    rowStart: number,
    rowEnd: number,
    colStart: number,
    colEnd: number,
  ) => void;
  unary(op: number, x: number, out: number, n: number): void;
  leakyRelu(x: number, slope: number, out: number, n: number): void;
  clamp(x: number, lo: number, hi: number, out: number, n: number): void;
  affine(x: number, a: number, b: number, out: number, n: number): void;
  fill(out: number, value: number, n: number): void;
  binary(op: number, a: number, b: number, out: number, ndim: number, params: number): void;
  where(cond: number, a: number, b: number, out: number, ndim: number, params: number): void;
  copyStrided(x: number, out: number, ndim: number, params: number): void;
  reduce(op: number, x: number, out: number, outer: number, size: number, inner: number): void;
  argReduce(op: number, x: number, out: number, outer: number, size: number, inner: number): void;
  im2col(x: number, geometry: number, cols: number): void;
  col2im(cols: number, geometry: number, x: number): void;
  maxPool2d(x: number, geometry: number, out: number, argmax: number): void;
  maxPool2dBackward(grad: number, argmax: number, geometry: number, gradX: number): void;
  avgPool2d(x: number, geometry: number, out: number): void;
  avgPool2dBackward(grad: number, geometry: number, gradX: number): void;
  softmax(x: number, out: number, rows: number, cols: number, log: number): void;
  crossEntropy(x: number, q: number, rows: number, cols: number, losses: number, probs: number): void;
  sgd(
    p: number,
    g: number,
    buf: number,
    n: number,
    lr: number,
    momentum: number,
    damp: number,
    wd: number,
    nesterov: number,
    first: number,
  ): void;
  adam(
    p: number,
    g: number,
    m: number,
    v: number,
    n: number,
    wd: number,
    decay: number,
    weight: number,
    b2: number,
    c2: number,
    eps: number,
    negStep: number,
    bc2Sqrt: number,
    decayMode: number,
  ): void;
}

/** Which build to load: the deterministic one (default), FMA, or FMA when the engine supports it. */
export type FmaChoice = boolean | 'auto';

const compiled = new Map<string, object>();

function decode(base64: string): Uint8Array {
  const nodeBuffer = (globalThis as { Buffer?: { from(text: string, encoding: 'base64'): Uint8Array } }).Buffer;
  if (nodeBuffer !== undefined) return new Uint8Array(nodeBuffer.from(base64, 'base64'));
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** Builds `validates` accepted (a yes stays a yes; a no is asked again, as a V8 flag set at run time can change it). */
const validated = new Set<string>();

/** Whether this engine accepts the module in `base64` (decoded and validated once it has said yes). */
function validates(base64: string): boolean {
  if (validated.has(base64)) return true;
  if (wasmApi === undefined || !wasmApi.validate(decode(base64))) return false;
  validated.add(base64);
  return true;
}

/** Whether this engine runs the relaxed-SIMD build (Node 20 needs --experimental-wasm-relaxed-simd). */
export function fmaSupported(): boolean {
  return validates(KERNELS_FMA_WASM);
}

/** Whether this engine runs WebAssembly SIMD at all (the kernels need it). */
export function wasmSupported(): boolean {
  return validates(KERNELS_WASM);
}

/**
 * A build of the kernels over an imported shared memory (for threads; see
 * lib/node/wasm-threads.ts): the full module and the FMA matmul alone, base64, and the memory.
 */
export interface SharedKernels {
  readonly kernels: string;
  readonly fmaMatmul: string;
  readonly memory: WasmMemory;
}

/**
 * A new shared wasm memory for the shared builds (one page to start, 4 GiB at most, as they
 * declare). Only where WebAssembly threads run (Node; browsers when cross-origin isolated).
 * @example
 * const memory = sharedMemory();
 * memory.buffer instanceof SharedArrayBuffer; // true
 */
export function sharedMemory(): WasmMemory {
  if (wasmApi === undefined) throw new Error('sharedMemory: this JavaScript engine has no WebAssembly');
  return new wasmApi.Memory({ initial: 1, maximum: 65536, shared: true });
}

/**
 * A new instance of the kernels: with its own memory, or over `shared.memory` from the shared
 * builds. With FMA, the FMA module's matmul (over the same memory) replaces the main one's.
 * @example
 * const { exports, fma } = instantiateKernels(false);
 * exports.heapBase(); // first free byte of its memory
 */
export function instantiateKernels(
  fma: FmaChoice = false,
  shared?: SharedKernels,
): { exports: KernelExports; fma: boolean } {
  const fmaBuild = shared?.fmaMatmul ?? KERNELS_FMA_WASM;
  const useFma = fma === true || (fma === 'auto' && validates(fmaBuild));
  if (fma === true && !validates(fmaBuild)) {
    throw new Error(
      'WasmBackend: fma: true needs relaxed SIMD, which this engine lacks (Node 20: run with --experimental-wasm-relaxed-simd); pass fma: "auto" or false',
    );
  }
  if (wasmApi === undefined)
    throw new Error('WasmBackend: this JavaScript engine has no WebAssembly; use the plain TypeScript backend');
  const imports = shared === undefined ? {} : { env: { memory: shared.memory } };
  const main = new wasmApi.Instance(compile(shared?.kernels ?? KERNELS_WASM), imports).exports as KernelExports;
  // A module that imports its memory exports it too (AssemblyScript's default).
  if (!useFma) return { exports: main, fma: false };
  const fmaMatmul = new wasmApi.Instance(compile(fmaBuild), { env: { memory: main.memory } }).exports as Pick<
    KernelExports,
    'matmul'
  >;
  return { exports: { ...main, matmul: fmaMatmul.matmul }, fma: true };
}

/** The compiled module for `base64`, compiled once per process (the worker threads get it too). */
export function compile(base64: string): object {
  let module = compiled.get(base64);
  if (module === undefined) {
    module = new wasmApi!.Module(decode(base64));
    compiled.set(base64, module);
  }
  return module;
}
