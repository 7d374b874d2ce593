/**
 * Splitting one matmul call between threads: the plan (which pairs of the batch, and which
 * rows or columns of C, each thread computes) and the interface of the helper threads. Every C element is
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
  /**
   * The calling thread's share of a call of `flops` operations (the helpers split the rest
   * evenly): an even share plus what the helpers' measured wake-up time is worth, so all
   * finish together; 1 when waking them costs more than it saves.
   */
  share(flops: number): number;
  /** Starts helper `helper` on the matmul kernel with `args` (its 19 arguments); returns at once. */
  start(helper: number, args: readonly number[]): void;
  /**
   * Waits (blocking, without spinning) until every started helper has finished; throws if one
   * failed. `flops` and `ms`: the calling thread's part and how long it took (its speed).
   */
  join(flops: number, ms: number): void;
}

/** One thread's share of a batched product: pairs [batchStart, batchEnd), and of each, rows [rowStart, rowEnd) and columns [colStart, colEnd). */
export interface MatmulPart {
  readonly batchStart: number;
  readonly batchEnd: number;
  readonly rowStart: number;
  readonly rowEnd: number;
  readonly colStart: number;
  readonly colEnd: number;
}

/** The kernel's register tile: row parts start on multiples of 4, column parts on multiples of 8. */
const TILE_ROWS = 4;
const TILE_COLS = 8;

/**
 * Splits a product of `batch` pairs of m x n results into at most `threads` non-empty parts, the
 * first (the calling thread's) about `firstShare` of the work and the others even. By pairs when
 * there are enough of them (twice the threads, or a multiple); otherwise by columns or rows,
 * whichever copies less (each thread packs all of A for a column part, all of B for a row part,
 * so columns when n > m); by pairs again when neither can be split. One part: do not split.
 * @example
 * planMatmul(1, 64, 128, 2); // columns 0-64 and 64-128 of the one pair
 * planMatmul(1, 784, 128, 2, 0.6); // rows 0-472 and 472-784
 * planMatmul(32, 16, 784, 2); // pairs 0-16 and 16-32 (conv2d: 32 images)
 */
export function planMatmul(
  batch: number,
  m: number,
  n: number,
  threads: number,
  firstShare = 1 / threads,
): MatmulPart[] {
  const whole = { batchStart: 0, batchEnd: batch, rowStart: 0, rowEnd: m, colStart: 0, colEnd: n };
  if (threads < 2 || batch === 0 || m === 0 || n === 0) return [whole];
  const rows = m >= 2 * TILE_ROWS;
  const cols = n >= 2 * TILE_COLS;
  const pairs = batch >= 2 * threads || (batch >= 2 && (batch % threads === 0 || (!rows && !cols)));
  if (pairs)
    return ranges(batch, threads, 1, firstShare).map(([batchStart, batchEnd]) => ({ ...whole, batchStart, batchEnd }));
  if (cols && (n > m || !rows))
    return ranges(n, threads, TILE_COLS, firstShare).map(([colStart, colEnd]) => ({ ...whole, colStart, colEnd }));
  if (rows)
    return ranges(m, threads, TILE_ROWS, firstShare).map(([rowStart, rowEnd]) => ({ ...whole, rowStart, rowEnd }));
  return [whole];
}

/**
 * [start, end) ranges covering 0..size: the first about `firstShare` of it, the rest in at most
 * `parts - 1` even pieces; every boundary a multiple of `align`; no empty range.
 */
function ranges(size: number, parts: number, align: number, firstShare: number): [number, number][] {
  const first = Math.min(size, Math.max(align, Math.round((size * firstShare) / align) * align));
  const out: [number, number][] = [[0, first]];
  const per = Math.ceil((size - first) / (parts - 1) / align) * align;
  for (let start = first; start < size; start += per) out.push([start, Math.min(size, start + per)]);
  return out;
}

/** The matmul kernel: a, b, c, batch, m, k, n, aBatchStride, bBatchStride, transA, transB, work, kc, mc, nc, rowStart, rowEnd, colStart, colEnd. */
export type MatmulKernel = (...args: number[]) => void;

/**
 * Runs one matmul call (`call`: the kernel's arguments up to nc, for the whole product) split
 * between this thread and the helpers: each part gets its own pointers, batch count, row and
 * column ranges and scratch (`helperWork[i]` for helper i). Returns false, having run nothing,
 * when the plan has one part.
 * @example
 * if (!splitMatmul(kernels.matmul, helpers, helperWork, call)) kernels.matmul(...call, 0, m, 0, n);
 */
export function splitMatmul(
  kernel: MatmulKernel,
  helpers: MatmulHelpers,
  helperWork: readonly number[],
  call: readonly number[],
): boolean {
  const [a, b, c, batch, m, k, n, aBatchStride, bBatchStride] = call;
  const flops = 2 * batch * m * k * n;
  const share = helpers.share(flops);
  if (share >= 1) return false;
  const parts = planMatmul(batch, m, n, helpers.size + 1, share);
  if (parts.length < 2) return false;
  const args = parts.map((part, i) => {
    const own = [...call, part.rowStart, part.rowEnd, part.colStart, part.colEnd];
    own[0] = a + 4 * part.batchStart * aBatchStride;
    own[1] = b + 4 * part.batchStart * bBatchStride;
    own[2] = c + 4 * part.batchStart * m * n;
    own[3] = part.batchEnd - part.batchStart;
    if (i > 0) own[11] = helperWork[i - 1];
    return own;
  });
  // Part 0 runs here while the helpers run the others; all read A and B and write disjoint blocks of C.
  for (let i = 1; i < args.length; i++) helpers.start(i - 1, args[i]);
  const first = parts[0];
  const firstFlops =
    2 * (first.batchEnd - first.batchStart) * (first.rowEnd - first.rowStart) * k * (first.colEnd - first.colStart);
  const started = performance.now();
  try {
    kernel(...args[0]);
  } finally {
    helpers.join(firstFlops, performance.now() - started);
  }
  return true;
}
