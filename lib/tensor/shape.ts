/**
 * Shapes: sizes, row-major strides, NumPy/PyTorch broadcasting, axis normalisation, and the
 * shape errors every tensor op raises (they always print both shapes and name the op).
 */

/** A tensor's shape: one size per dimension, [] for a scalar (0-d) tensor. */
export type Shape = readonly number[];

/** The number of elements of `shape` (1 for []). */
export function sizeOf(shape: Shape): number {
  let size = 1;
  for (let i = 0; i < shape.length; i++) size *= shape[i];
  return size;
}

/** Row-major strides of `shape`, in elements. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = stride;
    stride *= shape[i];
  }
  return strides;
}

/** `[2, 3]` as people read it. */
export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/** Whether two shapes are equal. */
export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The shape two operands broadcast to (NumPy's rules: align trailing dimensions; each pair
 * must be equal or contain a 1). Throws a RangeError naming the op and both shapes.
 */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)];
    const db = i < n - b.length ? 1 : b[i - (n - b.length)];
    if (da !== db && da !== 1 && db !== 1) {
      throw new RangeError(
        `${op}(): shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast together (dimension ${i} of the result: ${da} vs ${db}). ` +
          'Each trailing dimension must match or be 1; reshape or unsqueeze one operand.',
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Strides that read `shape` (row-major) as if broadcast to `target`: 0 where a dimension repeats. */
export function broadcastStrides(shape: Shape, target: Shape): number[] {
  const own = stridesOf(shape);
  const offset = target.length - shape.length;
  const strides = new Array<number>(target.length).fill(0);
  for (let i = 0; i < shape.length; i++) strides[i + offset] = shape[i] === 1 ? 0 : own[i];
  return strides;
}

/** `axis` as an index in [0, ndim), accepting negative axes; RangeError otherwise. */
export function normalizeAxis(op: string, axis: number, ndim: number): number {
  if (!Number.isInteger(axis) || axis < -Math.max(ndim, 1) || axis >= Math.max(ndim, 1)) {
    throw new RangeError(
      `${op}(): axis ${axis} is out of range for a tensor with ${ndim} dimension(s); use an integer in [${-ndim}, ${ndim - 1}].`,
    );
  }
  return axis < 0 ? axis + ndim : axis;
}

/** The sorted, distinct axes an `axis` argument names (undefined/null: every axis). */
export function normalizeAxes(op: string, axis: number | readonly number[] | undefined | null, ndim: number): number[] {
  if (axis === undefined || axis === null) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof axis === 'number' ? [axis] : Array.isArray(axis) ? axis : null;
  if (list === null)
    throw new TypeError(`${op}(): axis must be an integer or an array of integers, got ${String(axis)}.`);
  const axes = list.map((a) => normalizeAxis(op, a, ndim));
  if (new Set(axes).size !== axes.length)
    throw new RangeError(`${op}(): axis [${list.join(', ')}] names a dimension twice.`);
  return axes.sort((x, y) => x - y);
}

/** Checks that `shape` is a list of non-negative integers; returns a copy. */
export function checkShape(op: string, shape: unknown): number[] {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new TypeError(`${op}(): shape must be an array of non-negative integers, got ${JSON.stringify(shape)}.`);
  }
  if (sizeOf(shape) > 2 ** 31 - 1)
    throw new RangeError(`${op}(): shape ${formatShape(shape)} has more than 2^31 - 1 elements.`);
  return shape.slice();
}

/** Throws the RangeError for two shapes that must be equal. */
export function assertSameShape(op: string, a: Shape, b: Shape, what = 'shapes'): void {
  if (!sameShape(a, b))
    throw new RangeError(`${op}(): ${what} must match, got ${formatShape(a)} and ${formatShape(b)}.`);
}
