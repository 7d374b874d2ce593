/**
 * A live progress line for training loops: step, loss, accuracy and steps per second. On a
 * terminal it rewrites one line in place (at most ten times a second); when output is a file
 * or a pipe it prints a plain line every `plainEvery` steps instead, so logs stay readable.
 */

/** Where the progress goes: a stream (process.stdout) or nothing (quiet runs). */
export interface ProgressSink {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** Options for `Progress`. */
export interface ProgressOptions {
  /** The output (default process.stdout); `null` prints nothing. */
  sink?: ProgressSink | null;
  /** Steps between plain lines when not on a terminal (default 200). */
  plainEvery?: number;
  /** The clock in milliseconds (default performance.now; a spec can pass a fake one). */
  now?: () => number;
}

/** What one update reports. */
export interface ProgressUpdate {
  /** The loss of the last step (or a running mean). */
  loss: number;
  /** Training accuracy so far, in [0, 1] (left out if not known). */
  accuracy?: number;
}

/**
 * A progress line for `total` steps labelled `label`.
 *
 * @example
 * const progress = new Progress('epoch 1', 125);
 * for (let s = 1; s <= 125; s++) progress.update(s, { loss: 0.3, accuracy: 0.9 });
 * progress.done('epoch 1: test accuracy 91.2%');
 */
export class Progress {
  private readonly sink: ProgressSink | null;
  private readonly tty: boolean;
  private readonly plainEvery: number;
  private readonly now: () => number;
  private readonly start: number;
  private lastDraw = -Infinity;
  private lastText = '';

  constructor(
    readonly label: string,
    readonly total: number,
    options: ProgressOptions = {},
  ) {
    this.sink = options.sink === undefined ? process.stdout : options.sink;
    this.tty = this.sink?.isTTY === true;
    this.plainEvery = options.plainEvery ?? 200;
    this.now = options.now ?? (() => performance.now());
    this.start = this.now();
  }

  /** The text of a progress line (without control characters). */
  format(step: number, { loss, accuracy }: ProgressUpdate): string {
    const seconds = (this.now() - this.start) / 1000;
    const rate = seconds > 0 ? step / seconds : 0;
    const acc = accuracy === undefined ? '' : `  acc ${(100 * accuracy).toFixed(1)}%`;
    return `${this.label}  step ${step}/${this.total}  loss ${loss.toFixed(4)}${acc}  ${rate.toFixed(1)} steps/s`;
  }

  /** Reports step `step` (1-based): redraws the line on a terminal, prints every `plainEvery` steps otherwise. */
  update(step: number, report: ProgressUpdate): void {
    if (this.sink === null) return;
    if (this.tty) {
      const t = this.now();
      if (t - this.lastDraw < 100 && step !== this.total) return;
      this.lastDraw = t;
      this.lastText = this.format(step, report);
      this.sink.write(`\r${this.lastText}\x1b[K`);
    } else if (step % this.plainEvery === 0 || step === this.total) {
      this.sink.write(`${this.format(step, report)}\n`);
    }
  }

  /** Ends the line; `summary`, if given, replaces it on a terminal and follows it otherwise. */
  done(summary?: string): void {
    if (this.sink === null) return;
    if (this.tty) this.sink.write(`\r${summary ?? this.lastText}\x1b[K\n`);
    else if (summary !== undefined) this.sink.write(`${summary}\n`);
  }
}
