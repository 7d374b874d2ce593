/**
 * Opt-in threads for the WebAssembly backend in Node: `useWasmThreads(n)` moves the tensor
 * engine onto a wasm memory shared with n - 1 worker threads, which take parts of every matmul
 * of at least 4 MFLOP (conv2d's included). The calling thread computes jobs too, then waits
 * with `Atomics.wait` (no spinning); idle workers sleep in `Atomics.wait`. Results are the
 * single-threaded ones bit for bit (see lib/backends/wasm/parallel.ts and ./worker-pool.ts).
 */
import { compile, instantiateKernels, sharedMemory, wasmSupported } from '../backends/wasm/module';
import {
  KERNELS_SHARED_WASM,
  MATMUL_FMA_SHARED_WASM,
  MATMUL_SHARED_WASM,
} from '../backends/wasm/kernels-shared-base64';
import { WasmBackend, type WasmBackendOptions } from '../backends/wasm/wasm-backend';
import type { Backend } from '../backends/backend';
import { jsBackend } from '../backends/js';
import { currentBackend, defaultFma, fmaOption, retireThreadedWasm, useThreadedWasm } from '../tensor/backend-choice';
import { WorkerPool } from './worker-pool';

/** Options of `useWasmThreads`. */
export interface WasmThreadsOptions {
  /** The matmul build, as `setBackend('wasm', { fma })`: 'auto' (the default, unless STOPGRAD_WASM_FMA says otherwise), true or false. */
  fma?: boolean | 'auto';
  /** Matmuls with fewer floating-point operations than this stay on one thread (default 4e6). */
  minFlops?: number;
}

/** The largest thread count accepted (the kernels' memory is shared by all). */
const MAX_THREADS = 64;

/** The threaded backend (and what it was asked for), if any. */
let current: {
  threads: number;
  fma: boolean | 'auto';
  minFlops: number;
  pool: WorkerPool;
  backend: WasmBackend;
} | null = null;

/**
 * Runs the WebAssembly backend's large matmuls on `threads` threads: this one and
 * `threads - 1` worker threads over a shared wasm memory (Node only; opt-in). Products of at
 * least 4 MFLOP (`options.minFlops`) are cut into jobs by columns, rows or batch (conv2d's
 * images) that the threads claim, so results equal the single-threaded ones bit for bit.
 * `useWasmThreads(1)` stops the workers and returns to one thread; calling it again with the
 * same arguments returns to the same threads and memory. Like a change of `fma`, this starts a
 * new wasm memory; tensors made before move into it as ops read them (the first op reading
 * one may run on the JS kernels while it waits for room). On a machine whose other cores are
 * busy, threads cost a little instead of helping.
 * @example
 * import { useWasmThreads, wasmThreads } from 'stopgrad/node';
 * useWasmThreads(2);
 * wasmThreads();              // 2
 */
export function useWasmThreads(threads: number, options: WasmThreadsOptions = {}): void {
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS)
    throw new RangeError(
      `useWasmThreads(threads): expected an integer from 1 to ${MAX_THREADS} (this thread plus workers), got ${String(threads)}; os.availableParallelism() gives the core count.`,
    );
  const fma = fmaOption('useWasmThreads(threads', options);
  const { minFlops = 4e6 } = options;
  if (typeof minFlops !== 'number' || !(minFlops >= 0))
    throw new RangeError(`useWasmThreads(threads, { minFlops }): expected a number >= 0, got ${String(minFlops)}.`);
  if (!wasmSupported())
    throw new Error(
      'useWasmThreads: this JavaScript engine cannot run WebAssembly SIMD; the JS backend has no threads.',
    );
  if (threads === 1) {
    stopPool();
    useThreadedWasm(null, fma);
    return;
  }
  const choice = fma ?? defaultFma();
  if (current !== null && current.threads === threads && current.fma === choice && current.minFlops === minFlops) {
    // The same pool again (say after setBackend('js')): keep its memory and the tensors in it.
    useThreadedWasm(current.backend);
    return;
  }
  const { backend, pool } = threadedBackend(threads, choice, minFlops);
  stopPool();
  current = { threads, fma: choice, minFlops, pool, backend };
  useThreadedWasm(backend);
}

/**
 * A WasmBackend over a new shared memory whose large matmuls `threads - 1` new workers share
 * (ready when this returns). `useWasmThreads` installs one; benchmarks and specs build their own.
 * @internal
 */
export function threadedBackend(
  threads: number,
  fma: boolean | 'auto',
  minFlops: number,
  { fallback = jsBackend, blocks }: { fallback?: Backend; blocks?: WasmBackendOptions['blocks'] } = {},
): { backend: WasmBackend; pool: WorkerPool } {
  const memory = sharedMemory();
  const kernels = instantiateKernels(fma, { kernels: KERNELS_SHARED_WASM, fmaMatmul: MATMUL_FMA_SHARED_WASM, memory });
  const matmul = compile(kernels.fma ? MATMUL_FMA_SHARED_WASM : MATMUL_SHARED_WASM);
  const pool = new WorkerPool(threads - 1, minFlops, memory, matmul);
  pool.waitReady(30_000);
  return { backend: new WasmBackend(fallback, { kernels, helpers: pool, ...(blocks ? { blocks } : {}) }), pool };
}

/**
 * How many threads the WebAssembly backend's large matmuls use (1 unless `useWasmThreads`
 * asked for more).
 * @example
 * wasmThreads(); // 1
 */
export function wasmThreads(): number {
  return current !== null && currentBackend() === current.backend ? current.threads : 1;
}

function stopPool(): void {
  if (current === null) return;
  current.pool.stop();
  retireThreadedWasm(current.backend);
  current = null;
}
