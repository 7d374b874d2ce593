/**
 * Opt-in threads for the WebAssembly backend in Node: `useWasmThreads(n)` moves the tensor
 * engine onto a wasm memory shared with n - 1 worker threads, which take parts of every matmul
 * of at least 4 MFLOP (conv2d's included). The calling thread computes a part too, then waits
 * with `Atomics.wait` (no spinning); idle workers sleep in `Atomics.wait`. Results are the
 * single-threaded ones bit for bit (see lib/backends/wasm/parallel.ts).
 */
import { Worker } from 'worker_threads';
import type { MatmulHelpers } from '../backends/wasm/parallel';
import { compile, instantiateKernels, sharedMemory, wasmSupported, type WasmMemory } from '../backends/wasm/module';
import {
  KERNELS_SHARED_WASM,
  MATMUL_FMA_SHARED_WASM,
  MATMUL_SHARED_WASM,
} from '../backends/wasm/kernels-shared-base64';
import { WasmBackend, type WasmBackendOptions } from '../backends/wasm/wasm-backend';
import type { Backend } from '../backends/backend';
import { jsBackend } from '../backends/js';
import { currentBackend, defaultFma, useThreadedWasm } from '../tensor/backend-choice';

/** Options of `useWasmThreads`. */
export interface WasmThreadsOptions {
  /** The matmul build, as `setBackend('wasm', { fma })`: 'auto' (the default, unless STOPGRAD_WASM_FMA says otherwise), true or false. */
  fma?: boolean | 'auto';
  /** Matmuls with fewer floating-point operations than this stay on one thread (default 4e6). */
  minFlops?: number;
}

/** The largest thread count accepted (the kernels' memory is shared by all). */
const MAX_THREADS = 64;
/** Int32 slots per worker in the control block: 128 bytes, so two workers never share a cache line. */
const SLOT = 32;
/** Slot layout: the job counter the main thread bumps (-1: stop), the last job done, the worker's state, its error flag, then the 17 matmul arguments. */
const JOB = 0;
const DONE = 1;
const STATE = 2;
const FAILED = 3;
const ARGS = 4;
/** STATE values. */
const STARTING = 0;
const READY = 1;
const BROKEN = 2;

/**
 * What each worker runs (plain JavaScript, passed to `new Worker(code, { eval: true })`, so it
 * needs no file of its own in any build): instantiate the matmul over the shared memory, then
 * sleep on its job counter and run each job it is given.
 */
const WORKER_SOURCE = `
const { workerData } = require('worker_threads');
const { memory, module, control, base } = workerData;
const ctrl = new Int32Array(control);
let matmul;
try {
  matmul = new WebAssembly.Instance(module, { env: { memory } }).exports.matmul;
  Atomics.store(ctrl, base + ${STATE}, ${READY});
} catch (error) {
  Atomics.store(ctrl, base + ${STATE}, ${BROKEN});
}
Atomics.notify(ctrl, base + ${STATE});
let seen = 0;
while (matmul !== undefined) {
  Atomics.wait(ctrl, base + ${JOB}, seen);
  const job = Atomics.load(ctrl, base + ${JOB});
  if (job === seen) continue;
  if (job < 0) break;
  seen = job;
  try {
    const a = ctrl.subarray(base + ${ARGS}, base + ${ARGS + 17});
    matmul(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13], a[14], a[15], a[16]);
  } catch (error) {
    Atomics.store(ctrl, base + ${FAILED}, 1);
  }
  Atomics.store(ctrl, base + ${DONE}, job);
  Atomics.notify(ctrl, base + ${DONE});
}
`;

/** The worker threads and their control block. @internal (exported for its spec) */
export class WorkerPool implements MatmulHelpers {
  readonly size: number;
  private readonly control: Int32Array;
  private readonly workers: Worker[] = [];
  private readonly started: boolean[];
  /** Helpers started since the last join. */
  private pending = 0;
  private job = 0;

  constructor(
    size: number,
    readonly minFlops: number,
    memory: WasmMemory,
    module: object,
  ) {
    this.size = size;
    this.control = new Int32Array(new SharedArrayBuffer(4 * SLOT * Math.max(1, size)));
    this.started = new Array<boolean>(size).fill(false);
    for (let i = 0; i < size; i++) {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { memory, module, control: this.control.buffer, base: i * SLOT },
      });
      worker.unref(); // idle workers never keep the process alive
      this.workers.push(worker);
    }
  }

  /** Waits until every worker has instantiated the matmul (throws if one could not). */
  waitReady(timeoutMs: number): void {
    const deadline = Date.now() + timeoutMs;
    for (let i = 0; i < this.size; i++) {
      const at = i * SLOT + STATE;
      while (Atomics.load(this.control, at) === STARTING) {
        const left = deadline - Date.now();
        if (left <= 0) {
          this.stop();
          throw new Error(`useWasmThreads: worker ${i + 1} did not start within ${timeoutMs} ms`);
        }
        Atomics.wait(this.control, at, STARTING, left);
      }
      if (Atomics.load(this.control, at) === BROKEN) {
        this.stop();
        throw new Error(
          `useWasmThreads: worker ${i + 1} could not instantiate the shared-memory kernels (this Node lacks WebAssembly threads or SIMD)`,
        );
      }
    }
  }

  start(helper: number, args: readonly number[]): void {
    const base = helper * SLOT;
    for (let i = 0; i < args.length; i++) this.control[base + ARGS + i] = args[i];
    // One job number for all helpers of a call: join waits for each started one to report it.
    if (this.pending === 0) this.job++;
    if (!this.started[helper]) this.pending++;
    this.started[helper] = true;
    Atomics.store(this.control, base + JOB, this.job);
    Atomics.notify(this.control, base + JOB);
  }

  join(): void {
    this.pending = 0;
    let failed = false;
    for (let i = 0; i < this.size; i++) {
      if (!this.started[i]) continue;
      this.started[i] = false;
      const base = i * SLOT;
      for (;;) {
        const done = Atomics.load(this.control, base + DONE);
        if (done === this.job) break;
        Atomics.wait(this.control, base + DONE, done);
      }
      if (Atomics.exchange(this.control, base + FAILED, 0) !== 0) failed = true;
    }
    if (failed) throw new Error('useWasmThreads: a worker thread failed in the matmul kernel');
  }

  /** Tells every worker to exit (they finish no job: call between kernel calls). */
  stop(): void {
    for (let i = 0; i < this.size; i++) {
      Atomics.store(this.control, i * SLOT + JOB, -1);
      Atomics.notify(this.control, i * SLOT + JOB);
    }
    for (const worker of this.workers) void worker.terminate();
  }
}

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
 * least 4 MFLOP (`options.minFlops`) are split by rows (or by batch, as conv2d's are), so
 * results equal the single-threaded ones bit for bit. `useWasmThreads(1)` stops the workers and
 * returns to one thread. Like a change of `fma`, this starts a new wasm memory: tensors made
 * before stay usable, but ops mixing them with new ones run on the JS kernels, so call it
 * before making the model. On a machine whose other cores are busy, threads cost a little
 * instead of helping.
 * @example
 * import { useWasmThreads } from 'stopgrad/node';
 * useWasmThreads(2);          // before building the model
 * const model = new Sequential(new Linear(784, 128), ...);
 */
export function useWasmThreads(threads: number, options: WasmThreadsOptions = {}): void {
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS)
    throw new RangeError(
      `useWasmThreads(threads): expected an integer from 1 to ${MAX_THREADS} (this thread plus workers), got ${String(threads)}; os.availableParallelism() gives the core count.`,
    );
  if (typeof options !== 'object' || options === null)
    throw new TypeError(
      `useWasmThreads(threads, options): options must be an object such as { fma: false }, got ${String(options)}.`,
    );
  const { fma, minFlops = 4e6 } = options;
  if (fma !== undefined && fma !== true && fma !== false && fma !== 'auto')
    throw new TypeError(
      `useWasmThreads(threads, { fma }): expected true, false or 'auto', got ${JSON.stringify(fma)}.`,
    );
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
  current?.pool.stop();
  current = null;
}
