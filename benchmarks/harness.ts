/**
 * Timing helpers shared by the benchmarks: interleaved rounds, medians, heap bytes per node and
 * GC counts. Absolute times drift on shared machines; ratios measured in one process do not.
 */
import { PerformanceObserver, type PerformanceEntry } from 'perf_hooks';
import { constants } from 'perf_hooks';

/** Forces a full GC if node runs with --expose-gc (npm run bench does). */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

export function canCollectGarbage(): boolean {
  return typeof (globalThis as { gc?: unknown }).gc === 'function';
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Heap bytes retained by what `build` returns, per `count` units (needs --expose-gc). */
export function retainedBytes(build: () => unknown, count: number): number {
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  const kept = build();
  collectGarbage();
  const after = process.memoryUsage().heapUsed;
  keepAlive(kept);
  return (after - before) / count;
}

// Written and never read on purpose (hence the leading underscore the linter allows).
let _sink: unknown;
/** Stops the optimiser from dropping a value before a measurement is taken. */
export function keepAlive(value: unknown): void {
  _sink = value;
  _sink = undefined;
}

/** Garbage collections seen while `fn` runs: minor (scavenge) and major counts and total ms. */
export interface GcStats {
  minor: number;
  major: number;
  ms: number;
}

/** Runs `fn` and counts the collections it caused (GC entries arrive asynchronously, hence async). */
export async function withGcStats<T>(fn: () => T): Promise<{ result: T; gc: GcStats }> {
  const entries: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => entries.push(...list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  const result = fn();
  await new Promise((resolve) => setTimeout(resolve, 20));
  entries.push(...observer.takeRecords());
  observer.disconnect();
  const gc: GcStats = { minor: 0, major: 0, ms: 0 };
  for (const entry of entries) {
    const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
    if (kind === constants.NODE_PERFORMANCE_GC_MINOR) gc.minor++;
    else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) gc.major++;
    gc.ms += entry.duration;
  }
  return { result, gc };
}

/**
 * Times `steps` calls of each runner, round after round in turn (a, b, c, a, b, c, ...), with a
 * full GC before each block so that no runner pays for another's garbage. Returns every
 * runner's per-call times.
 */
export function interleavedRounds(runners: readonly (() => unknown)[], rounds: number, steps: number): number[][] {
  const times = runners.map(() => [] as number[]);
  for (let round = 0; round < rounds; round++) {
    runners.forEach((run, r) => {
      collectGarbage();
      for (let s = 0; s < steps; s++) {
        const start = performance.now();
        run();
        times[r].push(performance.now() - start);
      }
    });
  }
  return times;
}

export function formatMs(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

/** Prints rows as an aligned table. */
export function printTable(header: string[], rows: (string | number)[][]): void {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, c) => Math.max(...cells.map((row) => row[c].length)));
  for (const [i, row] of cells.entries()) {
    console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}

/** Seeded float32 values in [-scale, scale) from a small LCG: the benchmarks' shared inputs and weights. */
export function seededFloats(n: number, seed: number, scale = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 31 - 1) * scale;
  }
  return out;
}
