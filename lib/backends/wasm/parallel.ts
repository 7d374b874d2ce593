/**
 * Splitting one matmul call between threads: the plan (which pairs of the batch, and which
 * rows or columns of C, each job computes) and the interface of the helper threads. Every C
 * element is computed by exactly one job with the same sums in the same order as one thread
 * would, so a threaded product equals the single-threaded one bit for bit, whoever runs which
 * job. The threads themselves (Node's worker_threads over a shared wasm memory) are in
 * lib/node/worker-pool.ts.
 * @internal
 */

/** Helper threads the backend can hand matmul parts to (see lib/node/worker-pool.ts). */
export interface MatmulHelpers {
  /** How many helper threads there are (the calling thread takes parts too). */
  readonly size: number;
  /** Calls with fewer floating-point operations than this run on the calling thread alone. */
  readonly minFlops: number;
  /**
   * Runs every job (the matmul kernel's 19 arguments each) once: the calling thread and the
   * helpers each claim the next unclaimed job until none is left, so a helper that wakes late
   * simply takes fewer. A helper replaces argument 11 (the packing scratch) with its own,
   * `helperWork[i]`; the calling thread runs its jobs with `runHere`. Returns when all have
   * finished (waiting without spinning); throws if one failed.
   */
  run(
    jobs: readonly (readonly number[])[],
    helperWork: readonly number[],
    runHere: (args: readonly number[]) => void,
  ): void;
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
 * Splits a product of `batch` pairs of m x n results into at most `parts` even, non-empty
 * parts. By pairs when there are enough of them (twice the parts, or a multiple); otherwise by
 * columns or rows, whichever copies less (a column part packs all of A, a row part all of B, so
 * columns when n > m); by pairs again when neither can be split. One part: do not split.
 * @example
 * planMatmul(1, 64, 128, 2); // columns 0-64 and 64-128 of the one pair
 * planMatmul(1, 784, 128, 4); // rows 0-196, 196-392, 392-588, 588-784
 * planMatmul(32, 16, 784, 2); // pairs 0-16 and 16-32 (conv2d: 32 images)
 */
export function planMatmul(batch: number, m: number, n: number, parts: number): MatmulPart[] {
  const whole = { batchStart: 0, batchEnd: batch, rowStart: 0, rowEnd: m, colStart: 0, colEnd: n };
  if (batch === 0 || m === 0 || n === 0) return [whole];
  const rows = m >= 2 * TILE_ROWS;
  const cols = n >= 2 * TILE_COLS;
  const pairs = batch >= 2 * parts || (batch >= 2 && (batch % parts === 0 || (!rows && !cols)));
  if (pairs) return ranges(batch, parts, 1).map(([batchStart, batchEnd]) => ({ ...whole, batchStart, batchEnd }));
  if (cols && (n > m || !rows))
    return ranges(n, parts, TILE_COLS).map(([colStart, colEnd]) => ({ ...whole, colStart, colEnd }));
  if (rows) return ranges(m, parts, TILE_ROWS).map(([rowStart, rowEnd]) => ({ ...whole, rowStart, rowEnd }));
  return [whole];
}

/** [start, end) ranges covering 0..size in at most `parts` even pieces whose starts are multiples of `align`. */
function ranges(size: number, parts: number, align: number): [number, number][] {
  const per = Math.ceil(size / parts / align) * align;
  const out: [number, number][] = [];
  for (let start = 0; start < size; start += per) out.push([start, Math.min(size, start + per)]);
  return out;
}

/** The matmul kernel: a, b, c, batch, m, k, n, aBatchStride, bBatchStride, transA, transB, work, kc, mc, nc, rowStart, rowEnd, colStart, colEnd. */
export type MatmulKernel = (...args: number[]) => void;

/** Jobs per thread: more than one, so a thread that starts late (a helper waking up) takes fewer and nobody waits long for it. */
const JOBS_PER_THREAD = 2;

/**
 * Runs one matmul call (`call`: the kernel's arguments up to nc, for the whole product) as jobs
 * that this thread and the helpers claim: each gets its own pointers, batch count, and row and
 * column ranges. Returns false, having run nothing, when the plan has one part.
 * @example
 * if (!splitMatmul(kernels.matmul, helpers, helperWork, call)) kernels.matmul(...call, 0, m, 0, n);
 */
export function splitMatmul(
  kernel: MatmulKernel,
  helpers: MatmulHelpers,
  helperWork: readonly number[],
  call: readonly number[],
): boolean {
  const [a, b, c, batch, m, , n, aBatchStride, bBatchStride] = call;
  const parts = planMatmul(batch, m, n, JOBS_PER_THREAD * (helpers.size + 1));
  if (parts.length < 2) return false;
  // Every job reads A and B and writes its own block of C.
  const jobs = parts.map((part) => {
    const args = [...call, part.rowStart, part.rowEnd, part.colStart, part.colEnd];
    args[0] = a + 4 * part.batchStart * aBatchStride;
    args[1] = b + 4 * part.batchStart * bBatchStride;
    args[2] = c + 4 * part.batchStart * m * n;
    args[3] = part.batchEnd - part.batchStart;
    return args;
  });
  helpers.run(jobs, helperWork, (args) => kernel(...args));
  return true;
}
