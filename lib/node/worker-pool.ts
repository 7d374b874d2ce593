/**
 * The worker threads behind `useWasmThreads` (./wasm-threads.ts): each instantiates the matmul
 * alone over the shared wasm memory, then sleeps in `Atomics.wait` on its job counter. The
 * calling thread writes a job's arguments into the worker's slot of a shared control block,
 * bumps the counter and notifies; `join` sleeps in `Atomics.wait` until each worker has reported
 * the job done. Nothing spins. Workers record when they began and ended each job, so
 * MatmulBalance can size the caller's part to their wake-up time.
 * @internal
 */
import { Worker } from 'worker_threads';
import { MatmulBalance } from '../backends/wasm/balance';
import type { MatmulHelpers } from '../backends/wasm/parallel';
import type { WasmMemory } from '../backends/wasm/module';

/** Int32 slots per worker in the control block: 128 bytes, so two workers never share a cache line. */
const SLOT = 32;
/** Slot layout: the job counter the caller bumps (-1: stop), the last job done, the worker's state, its error flag, then the 19 matmul arguments. */
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
 * needs no file of its own in any build). `clock[2 * i]` and `clock[2 * i + 1]`: when worker i
 * began and ended its last job, in milliseconds since the epoch (comparable across threads).
 */
const WORKER_SOURCE = `
const { workerData } = require('worker_threads');
const { memory, module, control, clock: clockBuffer, index } = workerData;
const base = index * ${SLOT};
const ctrl = new Int32Array(control);
const clock = new Float64Array(clockBuffer);
const now = () => performance.timeOrigin + performance.now();
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
  clock[2 * index] = now();
  try {
    const a = ctrl.subarray(base + ${ARGS}, base + ${ARGS + 19});
    matmul(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13], a[14], a[15], a[16], a[17], a[18]);
  } catch (error) {
    Atomics.store(ctrl, base + ${FAILED}, 1);
  }
  clock[2 * index + 1] = now();
  Atomics.store(ctrl, base + ${DONE}, job);
  Atomics.notify(ctrl, base + ${DONE});
}
`;

const now = () => performance.timeOrigin + performance.now();

/** The worker threads and their control block. */
export class WorkerPool implements MatmulHelpers {
  readonly size: number;
  private readonly control: Int32Array;
  private readonly clock: Float64Array;
  private readonly workers: Worker[] = [];
  /** Per worker, for the job under way: when start() sent it, and its size (0: not started). */
  private readonly sentAt: number[];
  private readonly sentFlops: number[];
  private readonly balance: MatmulBalance;
  /** Helpers started since the last join. */
  private pending = 0;
  private job = 0;

  /**
   * @param size how many workers
   * @param minFlops calls below this many operations are not split
   * @param memory the shared memory the kernels run in
   * @param module the compiled matmul-alone build for that memory
   */
  constructor(
    size: number,
    readonly minFlops: number,
    memory: WasmMemory,
    module: object,
  ) {
    this.size = size;
    this.control = new Int32Array(new SharedArrayBuffer(4 * SLOT * Math.max(1, size)));
    this.clock = new Float64Array(new SharedArrayBuffer(16 * Math.max(1, size)));
    this.sentAt = new Array<number>(size).fill(0);
    this.sentFlops = new Array<number>(size).fill(0);
    this.balance = new MatmulBalance(size);
    for (let index = 0; index < size; index++) {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { memory, module, control: this.control.buffer, clock: this.clock.buffer, index },
      });
      worker.unref(); // idle workers never keep the process alive
      this.workers.push(worker);
    }
  }

  /** Waits until every worker has instantiated the matmul (throws, stopping them, if one could not). */
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

  share(flops: number): number {
    return this.balance.share(flops);
  }

  start(helper: number, args: readonly number[]): void {
    const base = helper * SLOT;
    for (let i = 0; i < args.length; i++) this.control[base + ARGS + i] = args[i];
    // One job number for all helpers of a call: join waits for each started one to report it.
    if (this.pending === 0) this.job++;
    if (this.sentFlops[helper] === 0) this.pending++;
    // Operations: 2 * pairs * rows * k * columns.
    this.sentFlops[helper] = Math.max(1, 2 * args[3] * (args[16] - args[15]) * args[5] * (args[18] - args[17]));
    this.sentAt[helper] = now();
    Atomics.store(this.control, base + JOB, this.job);
    Atomics.notify(this.control, base + JOB);
  }

  join(flops: number, ms: number): void {
    this.pending = 0;
    this.balance.observeMain(flops, ms);
    let failed = false;
    for (let i = 0; i < this.size; i++) {
      if (this.sentFlops[i] === 0) continue;
      const base = i * SLOT;
      for (;;) {
        const done = Atomics.load(this.control, base + DONE);
        if (done === this.job) break;
        Atomics.wait(this.control, base + DONE, done);
      }
      if (Atomics.exchange(this.control, base + FAILED, 0) !== 0) failed = true;
      else
        this.balance.observeHelper(
          this.sentFlops[i],
          this.clock[2 * i] - this.sentAt[i],
          this.clock[2 * i + 1] - this.clock[2 * i],
        );
      this.sentFlops[i] = 0;
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
