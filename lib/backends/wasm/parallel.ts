/**
 * Splitting one matmul call between threads: the plan (which part of the batch and of the rows
 * of C each thread computes) and the interface of the helper threads. Every C element is
 * computed by exactly one thread with the same sums in the same order as one thread would, so
 * a threaded product equals the single-threaded one bit for bit. The threads themselves (Node's
 * worker_threads over a shared wasm memory) are in lib/node/wasm-threads.ts.
 * @internal
 */

/** Helper threads the backend can hand matmul parts to (see lib/node/wasm-threads.ts). */
export interface MatmulHelpers {
  /** How many helper threads there are (the calling thread takes a part too). */
  readonly size: number;
  /** Calls with fewer floating-point operations than this run on the calling thread alone. */
  readonly minFlops: number;
  /** Starts helper `helper` on the matmul kernel with `args` (its 17 arguments); returns at once. */
  start(helper: number, args: readonly number[]): void;
  /** Waits (blocking, without spinning) until every started helper has finished; throws if one failed. */
  join(): void;
}

/** One thread's share of a batched product: pairs [batchStart, batchEnd), rows [rowStart, rowEnd) of each. */
export interface MatmulPart {
  readonly batchStart: number;
  readonly batchEnd: number;
  readonly rowStart: number;
  readonly rowEnd: number;
}

/** Rows per micro-panel of the kernel: row parts start on multiples of it. */
const PANEL_ROWS = 4;

/**
 * Splits a product of `batch` pairs of m-row results into at most `threads` non-empty parts:
 * by pairs when they divide evenly between the threads (or when there are too few rows to
 * split), else by rows in multiples of four. One part means: do not split.
 * @example
 * planMatmul(1, 64, 2);   // rows 0-32 and 32-64 of the one pair
 * planMatmul(32, 16, 2);  // pairs 0-16 and 16-32, all rows
 */
export function planMatmul(batch: number, m: number, threads: number): MatmulPart[] {
  const whole = [{ batchStart: 0, batchEnd: batch, rowStart: 0, rowEnd: m }];
  if (threads < 2 || batch === 0 || m === 0) return whole;
  const rowsSplit = m >= 2 * PANEL_ROWS;
  if (batch >= 2 && (batch % threads === 0 || !rowsSplit)) {
    const parts = Math.min(threads, batch);
    const per = Math.ceil(batch / parts);
    const out: MatmulPart[] = [];
    for (let start = 0; start < batch; start += per)
      out.push({ batchStart: start, batchEnd: Math.min(batch, start + per), rowStart: 0, rowEnd: m });
    return out;
  }
  if (!rowsSplit) return whole;
  const per = Math.ceil(m / threads / PANEL_ROWS) * PANEL_ROWS;
  const out: MatmulPart[] = [];
  for (let start = 0; start < m; start += per)
    out.push({ batchStart: 0, batchEnd: batch, rowStart: start, rowEnd: Math.min(m, start + per) });
  return out;
}

/** The matmul kernel: a, b, c, batch, m, k, n, aBatchStride, bBatchStride, transA, transB, work, kc, mc, nc, rowStart, rowEnd. */
export type MatmulKernel = (...args: number[]) => void;

/**
 * Runs one matmul call (`call`: the kernel's arguments up to nc, for the whole product) split
 * between this thread and the helpers: each part gets its own pointers, batch count, row range
 * and scratch (`helperWork[i]` for helper i). Returns false, having run nothing, when the plan
 * has one part.
 * @example
 * if (!splitMatmul(kernels.matmul, helpers, helperWork, call)) kernels.matmul(...call, 0, m);
 */
export function splitMatmul(
  kernel: MatmulKernel,
  helpers: MatmulHelpers,
  helperWork: readonly number[],
  call: readonly number[],
): boolean {
  const [a, b, c, batch, m, , n, aBatchStride, bBatchStride] = call;
  const parts = planMatmul(batch, m, helpers.size + 1);
  if (parts.length < 2) return false;
  const args = parts.map((part, i) => {
    const own = [...call, part.rowStart, part.rowEnd];
    own[0] = a + 4 * part.batchStart * aBatchStride;
    own[1] = b + 4 * part.batchStart * bBatchStride;
    own[2] = c + 4 * part.batchStart * m * n;
    own[3] = part.batchEnd - part.batchStart;
    if (i > 0) own[11] = helperWork[i - 1];
    return own;
  });
  // Part 0 runs here while the helpers run the others; all read A and B and write disjoint rows of C.
  for (let i = 1; i < args.length; i++) helpers.start(i - 1, args[i]);
  try {
    kernel(...args[0]);
  } finally {
    helpers.join();
  }
  return true;
}
