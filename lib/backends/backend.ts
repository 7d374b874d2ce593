/**
 * The kernel interface: everything a tensor op asks of the machine, and nothing about graphs
 * or gradients. A backend allocates element buffers and runs kernels over them; the tensor
 * engine (lib/tensor) decides shapes, broadcasting and gradients and calls these.
 *
 * Conventions every backend follows:
 * - Buffers are contiguous, row-major typed arrays of one dtype. A backend may place them in
 *   memory of its own (the WebAssembly backend in its linear memory): always get a buffer's
 *   view from `Storage.view()` *after* allocating a kernel's outputs, never keep a view across
 *   an allocation (wasm memory can grow, which detaches older views).
 * - Kernels write into `out` (already allocated, `out.length` elements) and never allocate
 *   visible state; they do not check shapes (the tensor engine does, with clear errors).
 * - Strides are in elements. A stride of 0 repeats an element (broadcasting).
 * - float64 results must be exact to the last bit of the straightforward loop where the
 *   arithmetic is the same (sums in index order); float32 may differ by rounding only.
 */

/** Element types a tensor can hold. */
export type DType = 'float32' | 'float64';

/** The typed array for a dtype. */
export type TypedArray = Float32Array | Float64Array;

/** Elementwise functions of one argument. */
export type UnaryOp =
  | 'neg'
  | 'exp'
  | 'log'
  | 'log1p'
  | 'sqrt'
  | 'abs'
  | 'sign'
  | 'tanh'
  | 'sigmoid'
  | 'relu'
  | 'sin'
  | 'cos'
  | 'square'
  | 'reciprocal'
  | 'softplus'
  | 'step';

/** Elementwise functions of two (broadcast) arguments. Comparisons give 1 or 0. */
export type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum' | 'gt' | 'ge' | 'lt' | 'le' | 'eq';

/** Reductions along one axis of a [outer, size, inner] view. */
export type ReduceOp = 'sum' | 'max' | 'min';

/**
 * A tensor's memory: `length` elements of `dtype`, with the version counter that in-place ops
 * bump (shared by every tensor that shares the storage, e.g. a `detach()`ed copy).
 */
export interface Storage {
  readonly dtype: DType;
  readonly length: number;
  /** Bumped by every in-place change; backward rules compare it with the version they saved. */
  version: number;
  /** The elements. Re-read after any allocation (see the conventions above). */
  view(): TypedArray;
  /**
   * The elements in an array that later allocations never invalidate or reuse (what a user
   * holds): wasm storages move to the JS heap for it. Default: `view()`.
   */
  stableView?(): TypedArray;
}

/** What a backend provides. */
export interface Backend {
  readonly name: string;
  /** A zero-filled storage of `length` elements. */
  alloc(dtype: DType, length: number): Storage;
  /** A storage whose elements are undefined, for a kernel that writes them all (default: `alloc`). */
  empty?(dtype: DType, length: number): Storage;
  /** A storage holding a copy of `values` (converted to `dtype`). */
  fromArray(dtype: DType, values: ArrayLike<number>): Storage;

  /** out[i] = f(x[i]). `out` may be `x` (in place). */
  unary(op: UnaryOp, x: TypedArray, out: TypedArray): void;
  /** out[i] = x[i] < 0 ? slope * x[i] : x[i] (leaky relu; slope 0 is relu). */
  leakyRelu(x: TypedArray, slope: number, out: TypedArray): void;
  /** out[i] = min(max(x[i], lo), hi) (NaN stays NaN). */
  clamp(x: TypedArray, lo: number, hi: number, out: TypedArray): void;
  /** out[i] = a * x[i] + b (scale and shift by constants). */
  affine(x: TypedArray, a: number, b: number, out: TypedArray): void;
  /**
   * out[index(outShape)] = f(a[index . aStrides], b[index . bStrides]) over every index of
   * `outShape`. `out` may alias `a` when aStrides are out's own strides (in-place ops).
   */
  binary(
    op: BinaryOp,
    a: TypedArray,
    aStrides: readonly number[],
    b: TypedArray,
    bStrides: readonly number[],
    outShape: readonly number[],
    out: TypedArray,
  ): void;
  /** out = cond != 0 ? a : b, all three broadcast to outShape by their strides. */
  where(
    cond: TypedArray,
    cStrides: readonly number[],
    a: TypedArray,
    aStrides: readonly number[],
    b: TypedArray,
    bStrides: readonly number[],
    outShape: readonly number[],
    out: TypedArray,
  ): void;
  /** out[index] = x[index . strides] over `shape`: materialises a transpose, permute, expand or slice (offset = first element). */
  copyStrided(
    x: TypedArray,
    offset: number,
    strides: readonly number[],
    shape: readonly number[],
    out: TypedArray,
  ): void;

  /**
   * Reduces the middle axis of x viewed as [outer, size, inner] into out ([outer, inner]).
   * Sums run in index order; max/min propagate NaN (as PyTorch).
   */
  reduce(op: ReduceOp, x: TypedArray, outer: number, size: number, inner: number, out: TypedArray): void;
  /** Index (0..size-1) of the first max/min along the middle axis, written as numbers into out; NaN wins (as PyTorch). */
  argReduce(op: 'max' | 'min', x: TypedArray, outer: number, size: number, inner: number, out: TypedArray): void;

  /**
   * Batched matrix product: for each of `batch` pairs, C[m, n] = sum_k A[m, k] * B[k, n],
   * A read at `aOffset + b * aBatchStride` (row-major m×k, or k×m when transA), B likewise
   * (k×n, or n×k when transB), C written at b * m * n. A batch stride of 0 reuses one matrix.
   */
  matmul(
    a: TypedArray,
    b: TypedArray,
    out: TypedArray,
    batch: number,
    m: number,
    k: number,
    n: number,
    aBatchStride: number,
    bBatchStride: number,
    transA: boolean,
    transB: boolean,
  ): void;

  /**
   * Softmax cross-entropy of logits x [rows, cols] against target distributions `targets`
   * (one-hot rows for class labels), each row in float64 and rounded once: losses[r] = sum
   * over c with targets[r, c] != 0 of targets[r, c] * (logsumexp(x[r]) - x[r, c]), and
   * probs = softmax(x) (the gradient is (probs - targets) * upstream).
   */
  softmaxCrossEntropy(
    x: TypedArray,
    targets: TypedArray,
    rows: number,
    cols: number,
    losses: TypedArray,
    probs: TypedArray,
  ): void;

  /**
   * im2col for NCHW conv2d: x [n, c, h, w] -> cols [n, c*kh*kw, oh*ow] with stride, padding
   * (zeros) and dilation. `col2im` is its adjoint (sums overlapping patches back).
   */
  im2col(x: TypedArray, geometry: ConvGeometry, cols: TypedArray): void;
  col2im(cols: TypedArray, geometry: ConvGeometry, x: TypedArray): void;

  /** Max pooling over windows; writes the flat index (within the channel plane) of each max into `argmax`. */
  maxPool2d(x: TypedArray, geometry: ConvGeometry, out: TypedArray, argmax: TypedArray): void;
  /** Sends each output gradient to the input element its window's max came from (sums where windows overlap). */
  maxPool2dBackward(grad: TypedArray, argmax: TypedArray, geometry: ConvGeometry, gradX: TypedArray): void;
  /** Average pooling over windows (padding counted, as PyTorch's default count_include_pad). */
  avgPool2d(x: TypedArray, geometry: ConvGeometry, out: TypedArray): void;
  avgPool2dBackward(grad: TypedArray, geometry: ConvGeometry, gradX: TypedArray): void;
}

/** The sizes of a 2-D convolution or pooling window over an NCHW input. */
export interface ConvGeometry {
  /** Batch, channels, input height and width. */
  n: number;
  c: number;
  h: number;
  w: number;
  /** Kernel height and width. */
  kh: number;
  kw: number;
  strideH: number;
  strideW: number;
  padH: number;
  padW: number;
  dilationH: number;
  dilationW: number;
  /** Output height and width (computed by the caller with PyTorch's formula). */
  oh: number;
  ow: number;
}
