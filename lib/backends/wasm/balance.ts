/**
 * How much of a threaded matmul the calling thread should keep: waking a sleeping helper thread
 * takes time (7 µs right after its last job, 30-60 µs once its core has gone idle, on the 2-core
 * VMs this was measured on), so with even parts the caller would wait that long at the end of
 * every call. The estimates come from recent calls, as medians: the caller's and the helpers'
 * time per operation and the helpers' wake-up time. Only the speed depends on them:
 * any split gives the same result bit for bit.
 * @internal
 */

/** How many recent measurements each estimate is the median of. */
const WINDOW = 15;
/** Above this share for the caller, waking the helpers is not worth it: run on one thread. */
const NOT_WORTH_IT = 0.95;
/** Of the calls found not worth splitting, every this many-th is split anyway, to measure again (a wake-up delayed once must not turn threads off for good). */
const PROBE_EVERY = 32;

/**
 * The median of the last WINDOW samples: a wake-up the hypervisor delayed by milliseconds (seen
 * once in a few hundred calls on a shared VM) must not move the estimate, as it would a mean.
 */
class RecentMedian {
  private readonly samples: number[] = [];
  private next = 0;
  private sorted: number[] | null = null;

  add(sample: number): void {
    if (this.samples.length < WINDOW) this.samples.push(sample);
    else this.samples[this.next] = sample;
    this.next = (this.next + 1) % WINDOW;
    this.sorted = null;
  }

  /** NaN before the first sample. */
  get value(): number {
    if (this.samples.length === 0) return NaN;
    this.sorted ??= [...this.samples].sort((a, b) => a - b);
    return this.sorted[this.sorted.length >> 1];
  }
}

/** Moving estimates of thread speeds and wake-up time, and the caller's share they imply. */
export class MatmulBalance {
  /** Milliseconds per floating-point operation on the calling thread and on a helper. */
  private readonly mainMsPerFlop = new RecentMedian();
  private readonly helperMsPerFlop = new RecentMedian();
  /** Milliseconds from a helper's start() to the moment it began computing. */
  private readonly wakeMs = new RecentMedian();
  /** Calls not split since the last probe. */
  private skipped = 0;

  /** @param helpers how many helper threads share the rest of each call */
  constructor(readonly helpers: number) {}

  /** The calling thread computed `flops` operations in `ms`. */
  observeMain(flops: number, ms: number): void {
    if (flops > 0 && ms > 0) this.mainMsPerFlop.add(ms / flops);
  }

  /** A helper woke `wakeMs` after start() and computed `flops` operations in `runMs`. */
  observeHelper(flops: number, wakeMs: number, runMs: number): void {
    this.wakeMs.add(Math.max(0, wakeMs));
    if (flops > 0 && runMs > 0) this.helperMsPerFlop.add(runMs / flops);
  }

  /**
   * The calling thread's share of a call of `flops` operations such that it and the helpers
   * (each taking an even part of the rest, after waking) finish together; an even share until
   * something was measured, and 1 (do not split) when the helpers could not help (except for
   * every 32nd such call, which is split evenly to measure again).
   * @example
   * new MatmulBalance(1).share(1e7); // 0.5 before any measurement
   */
  share(flops: number): number {
    const even = 1 / (this.helpers + 1);
    const wake = this.wakeMs.value;
    const main = flops * this.mainMsPerFlop.value;
    const helper = (flops * this.helperMsPerFlop.value) / this.helpers;
    if (Number.isNaN(wake + main + helper)) return even;
    // share * main = wake + (1 - share) * helper, solved for share.
    const share = (wake + helper) / (main + helper);
    if (share < NOT_WORTH_IT) return Math.max(0.05, share);
    if (++this.skipped < PROBE_EVERY) return 1;
    this.skipped = 0;
    return even;
  }
}
