/**
 * The worker threads behind `useWasmThreads` (./wasm-threads.ts). Each instantiates the matmul
 * alone over the shared wasm memory, then sleeps in `Atomics.wait` on the wake counter. For a
 * call, the calling thread writes the jobs' arguments into a shared table, publishes a claim
 * word (job 0 already its own), bumps the wake counter and notifies; it runs job 0, then it and
 * every worker claim the others one at a time (compare-and-swap on the claim word) until none
 * is left. A worker that wakes late (30-60 µs
 * once its core went idle on these VMs, now and then milliseconds) finds fewer jobs or none, so
 * nobody waits for it unless it is running one. The caller then sleeps in `Atomics.wait` until
 * every job has finished. Nothing spins.
 *
 * The claim word holds the call's number (18 bits), its job count (7) and the next job (7): a
 * worker still busy with an old call's claim loop cannot take a job of a new one, because its
 * compare-and-swap expects the old call's number.
 * @internal
 */
import { Worker } from 'worker_threads';
import type { MatmulHelpers } from '../backends/wasm/parallel';
import type { WasmMemory } from '../backends/wasm/module';

/** Control block (Int32) positions; the three hot words on separate cache lines. */
const WAKE = 0;
const CLAIM = 16;
const FINISHED = 32;
const FAILED = 48;
/** Each worker's state at STATES + i and its packing scratch pointer at WORK + i. */
const STATES = 64;
const STARTING = 0;
const READY = 1;
const BROKEN = 2;
/** Arguments of the matmul kernel per job, and the most jobs one call may have. */
const ARGS = 19;
const MAX_JOBS = 127;
/** The claim word: call number << 14 | job count << 7 | next job. */
const CALL_BITS = 0x3ffff;

/**
 * Claims the next job of call `call` from the control block, or returns -1 when its jobs are all
 * claimed or a newer call began. (WORKER_SOURCE has the same function as text: keep them alike.)
 */
function claim(control: Int32Array, call: number): number {
  for (;;) {
    const word = Atomics.load(control, CLAIM);
    if (word >>> 14 !== call) return -1;
    const next = word & 127;
    if (next >= ((word >>> 7) & 127)) return -1;
    if (Atomics.compareExchange(control, CLAIM, word, word + 1) === word) return next;
  }
}

/**
 * What each worker runs (plain JavaScript, given to `new Worker(code, { eval: true })`, so it
 * needs no file of its own in any build).
 */
const WORKER_SOURCE = `
const { workerData } = require('worker_threads');
const { memory, module, control: controlBuffer, jobs: jobsBuffer, index } = workerData;
const control = new Int32Array(controlBuffer);
const jobs = new Int32Array(jobsBuffer);
function claim(control, call) {
  for (;;) {
    const word = Atomics.load(control, ${CLAIM});
    if (word >>> 14 !== call) return -1;
    const next = word & 127;
    if (next >= ((word >>> 7) & 127)) return -1;
    if (Atomics.compareExchange(control, ${CLAIM}, word, word + 1) === word) return next;
  }
}
let matmul;
try {
  matmul = new WebAssembly.Instance(module, { env: { memory } }).exports.matmul;
  Atomics.store(control, ${STATES} + index, ${READY});
} catch (error) {
  Atomics.store(control, ${STATES} + index, ${BROKEN});
}
Atomics.notify(control, ${STATES} + index);
let seen = 0;
while (matmul !== undefined) {
  Atomics.wait(control, ${WAKE}, seen);
  const call = Atomics.load(control, ${WAKE});
  if (call === seen) continue;
  if (call < 0) break;
  seen = call;
  const work = control[${STATES + 64} + index];
  for (let job = claim(control, call); job >= 0; job = claim(control, call)) {
    const a = jobs.subarray(job * ${ARGS}, job * ${ARGS} + ${ARGS});
    try {
      matmul(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], work, a[12], a[13], a[14], a[15], a[16], a[17], a[18]);
    } catch (error) {
      Atomics.store(control, ${FAILED}, 1);
    }
    Atomics.add(control, ${FINISHED}, 1);
    Atomics.notify(control, ${FINISHED});
  }
}
`;

/** The worker threads and their shared control block and job table. */
export class WorkerPool implements MatmulHelpers {
  readonly size: number;
  private readonly control: Int32Array;
  private readonly jobs: Int32Array;
  private readonly workers: Worker[] = [];
  private call = 0;

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
    this.control = new Int32Array(new SharedArrayBuffer(4 * (STATES + 64 + size)));
    this.jobs = new Int32Array(new SharedArrayBuffer(4 * ARGS * MAX_JOBS));
    for (let index = 0; index < size; index++) {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { memory, module, control: this.control.buffer, jobs: this.jobs.buffer, index },
      });
      worker.unref(); // idle workers never keep the process alive
      this.workers.push(worker);
    }
  }

  /** Waits until every worker has instantiated the matmul (throws, stopping them, if one could not). */
  waitReady(timeoutMs: number): void {
    const deadline = Date.now() + timeoutMs;
    for (let i = 0; i < this.size; i++) {
      const at = STATES + i;
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

  run(
    jobs: readonly (readonly number[])[],
    helperWork: readonly number[],
    runHere: (args: readonly number[]) => void,
  ): void {
    const count = jobs.length;
    if (count > MAX_JOBS) throw new RangeError(`WorkerPool.run: at most ${MAX_JOBS} jobs per call, got ${count}`);
    jobs.forEach((args, i) => this.jobs.set(args, i * ARGS));
    for (let i = 0; i < this.size; i++) this.control[STATES + 64 + i] = helperWork[i];
    this.call = (this.call % CALL_BITS) + 1; // 1..2^18-1, never 0 (the workers' first `seen`)
    Atomics.store(this.control, FINISHED, 0);
    Atomics.store(this.control, FAILED, 0);
    // Job 0 is the caller's before anyone can claim (it is awake, the workers are not): the claim
    // word is published with the next job at 1.
    Atomics.store(this.control, CLAIM, (this.call << 14) | (count << 7) | 1);
    Atomics.store(this.control, WAKE, this.call);
    Atomics.notify(this.control, WAKE);
    let failure: Error | null = null;
    for (let job = 0; job >= 0; job = claim(this.control, this.call)) {
      try {
        runHere(jobs[job]);
      } catch (error) {
        failure ??= error instanceof Error ? error : new Error(String(error));
      }
      Atomics.add(this.control, FINISHED, 1);
    }
    // Every job is claimed; wait for the ones the workers are still running.
    for (let done = Atomics.load(this.control, FINISHED); done !== count; done = Atomics.load(this.control, FINISHED))
      Atomics.wait(this.control, FINISHED, done);
    if (failure !== null) throw failure;
    if (Atomics.load(this.control, FAILED) !== 0)
      throw new Error('useWasmThreads: a worker thread failed in the matmul kernel');
  }

  /** Tells every worker to exit and terminates it (call between kernel calls). */
  stop(): void {
    Atomics.store(this.control, WAKE, -1);
    Atomics.notify(this.control, WAKE);
    for (const worker of this.workers) void worker.terminate();
  }
}
