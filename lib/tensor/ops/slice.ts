/**
 * Ranges of a tensor and tensors joined along an axis: slice/narrow, concat, stack and
 * constant pad. slice's gradient scatters into zeros (`sliceScatter`, whose own gradient is
 * the slice again); concat's and pad's gradients are narrows of the incoming gradient. So
 * every rule is a differentiable op, and every order of gradient works.
 */
import { needsGrad } from '../../engine/record';
import { currentBackend } from '../backend-choice';
import { checkTensor, tensorRule } from '../define';
import { dataOf, empty, recordTensor } from '../record';
import { type Shape, formatShape, normalizeAxis, sameShape, stridesOf } from '../shape';
import type { Tensor } from '../tensor';
import { copyBlock, copyInto, scatterSlice } from './index-kernels';
import { toType, unsqueeze } from './shape';

/** `shape` viewed as [outer, shape[axis], inner]. @internal */
export function aroundAxis(shape: Shape, axis: number): { outer: number; size: number; inner: number } {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i];
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i];
  return { outer, size: shape[axis], inner };
}

interface SliceCtx {
  axis: number;
  start: number;
  step: number;
}

const SLICE = /* @__PURE__ */ tensorRule('slice', [], (g, node) => {
  const x = node._a as Tensor;
  const { axis, start, step } = node._ctx as SliceCtx;
  return [[x, sliceScatter(g, x.shape, axis, start, step)]];
});

function checkInteger(op: string, name: string, value: unknown): number {
  if (!Number.isInteger(value)) throw new TypeError(`${op}(): ${name} must be an integer, got ${String(value)}.`);
  return value as number;
}

/**
 * Elements start, start + step, … below `end` along `axis`, as Python's x[start:end:step]:
 * negative positions count from the end, out-of-range ones are clamped, step must be positive.
 * The gradient is the incoming gradient written into zeros at those positions.
 *
 * @example slice(arange(10), 0, -3).toArray()   // [7, 8, 9]
 */
export function slice(x: Tensor, axis: number, start = 0, end?: number, step = 1): Tensor {
  checkTensor('slice', x);
  if (x.ndim === 0)
    throw new RangeError('slice(): a 0-d tensor has no axis to slice (shape []); reshape it to [1] first.');
  const a = normalizeAxis('slice', axis, x.ndim);
  const size = x.shape[a];
  const clampPosition = (p: number) => Math.min(size, Math.max(0, p < 0 ? p + size : p));
  const from = clampPosition(checkInteger('slice', 'start', start));
  const to = end === undefined ? size : clampPosition(checkInteger('slice', 'end', end));
  if (checkInteger('slice', 'step', step) <= 0)
    throw new RangeError(
      `slice(): step must be a positive integer, got ${step} (negative steps are not supported, as in PyTorch).`,
    );
  return sliceRange(x, a, from, Math.max(0, Math.ceil((to - from) / step)), step);
}

/** `count` elements start, start + step, … along axis `a` (all in range). */
function sliceRange(x: Tensor, a: number, start: number, count: number, step: number): Tensor {
  const shape = x.shape.slice();
  shape[a] = count;
  const out = empty(shape, x.dtype);
  const strides = stridesOf(x.shape);
  const offset = start * strides[a];
  strides[a] *= step;
  if (out.size > 0) currentBackend().copyStrided(dataOf(x), offset, strides, shape, dataOf(out));
  return recordTensor(out, SLICE, x, null, { axis: a, start, step } satisfies SliceCtx);
}

/**
 * `length` elements from `start` along `axis` (PyTorch's narrow; a negative start counts from
 * the end). Unlike `slice`, a range that does not fit is a RangeError.
 *
 * @example narrow(tensor([[1, 2, 3]]), 1, 1, 2).toArray()   // [[2, 3]]
 */
export function narrow(x: Tensor, axis: number, start: number, length: number): Tensor {
  checkTensor('narrow', x);
  if (x.ndim === 0)
    throw new RangeError('narrow(): a 0-d tensor has no axis to narrow (shape []); reshape it to [1] first.');
  const a = normalizeAxis('narrow', axis, x.ndim);
  const size = x.shape[a];
  checkInteger('narrow', 'start', start);
  checkInteger('narrow', 'length', length);
  const from = start < 0 ? start + size : start;
  if (from < 0 || from > size || length < 0 || from + length > size) {
    throw new RangeError(
      `narrow(): start ${start} and length ${length} do not fit in axis ${a} of size ${size} (shape ${formatShape(x.shape)}); ` +
        `need 0 <= start and start + length <= ${size}.`,
    );
  }
  return sliceRange(x, a, from, length, 1);
}

const SLICE_SCATTER = /* @__PURE__ */ tensorRule('sliceScatter', [], (g, node) => {
  const { axis, start, step } = node._ctx as SliceCtx;
  const src = node._a as Tensor;
  return [[src, sliceRange(g, axis, start, src.shape[axis], step)]];
});

/**
 * A zero tensor of `shape` with `src` written at positions start, start + step, … of `axis`:
 * the adjoint of slice (the gradient a slice sends back), itself differentiable. @internal
 */
export function sliceScatter(src: Tensor, shape: Shape, axis: number, start: number, step: number): Tensor {
  const out = empty(shape, src.dtype);
  const { outer, size, inner } = aroundAxis(shape, axis);
  scatterSlice(dataOf(src), outer, src.shape[axis], inner, size, start, step, dataOf(out));
  return recordTensor(out, SLICE_SCATTER, src, null, { axis, start, step } satisfies SliceCtx);
}

interface ConcatCtx {
  axis: number;
  offsets: number[];
}

const CONCAT = /* @__PURE__ */ tensorRule('concat', [], (g, node) => {
  const parts = node._rest as readonly Tensor[];
  const { axis, offsets } = node._ctx as ConcatCtx;
  return parts.map((t, i) => [t, needsGrad(t) ? narrow(g, axis, offsets[i], t.shape[axis]) : null] as const);
});

/**
 * Joins tensors along an existing `axis` (default 0); every other size must match (PyTorch's
 * torch.cat). The gradient of each input is its range of the incoming gradient.
 *
 * @example concat([tensor([[1, 2]]), tensor([[3, 4]])], 0).toArray()   // [[1, 2], [3, 4]]
 */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0)
    throw new TypeError(
      `concat(tensors, axis): tensors must be a non-empty array of Tensors, got ${Array.isArray(tensors) ? '[]' : String(tensors)}.`,
    );
  tensors.forEach((t, i) => checkTensor('concat', t, `tensors[${i}]`));
  const first = tensors[0];
  if (first.ndim === 0)
    throw new RangeError(
      'concat(): 0-d tensors cannot be concatenated (tensors[0] has shape []); use stack, or reshape them to [1].',
    );
  const a = normalizeAxis('concat', axis, first.ndim);
  tensors.forEach((t, i) => {
    if (t.ndim !== first.ndim || t.shape.some((d: number, j: number) => j !== a && d !== first.shape[j])) {
      throw new RangeError(
        `concat(): tensors[${i}] has shape ${formatShape(t.shape)} and tensors[0] has shape ${formatShape(first.shape)}; ` +
          `every size but that of axis ${a} must match.`,
      );
    }
  });
  const dtype = tensors.some((t) => t.dtype === 'float64') ? 'float64' : 'float32';
  const parts = tensors.map((t) => (t.dtype === dtype ? t : toType(t, dtype)));
  const offsets: number[] = [];
  let total = 0;
  for (const t of parts) {
    offsets.push(total);
    total += t.shape[a];
  }
  const shape = first.shape.slice();
  shape[a] = total;
  const out = empty(shape, dtype);
  const { outer, inner } = aroundAxis(shape, a);
  parts.forEach((t, i) => copyBlock(dataOf(t), outer, t.shape[a], inner, total, offsets[i], dataOf(out)));
  return recordTensor(out, CONCAT, null, parts, { axis: a, offsets } satisfies ConcatCtx);
}

/**
 * Joins tensors of one shape along a new `axis` (default 0), as PyTorch's torch.stack.
 *
 * @example stack([tensor([1, 2]), tensor([3, 4])], 1).toArray()   // [[1, 3], [2, 4]]
 */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0)
    throw new TypeError(
      `stack(tensors, axis): tensors must be a non-empty array of Tensors, got ${Array.isArray(tensors) ? '[]' : String(tensors)}.`,
    );
  tensors.forEach((t, i) => checkTensor('stack', t, `tensors[${i}]`));
  const first = tensors[0];
  tensors.forEach((t, i) => {
    if (!sameShape(t.shape, first.shape))
      throw new RangeError(
        `stack(): tensors[${i}] has shape ${formatShape(t.shape)} and tensors[0] has shape ${formatShape(first.shape)}; stacked tensors must have one shape.`,
      );
  });
  const a = normalizeAxis('stack', axis, first.ndim + 1);
  return concat(
    tensors.map((t) => unsqueeze(t, a)),
    a,
  );
}

const PAD = /* @__PURE__ */ tensorRule('pad', [], (g, node) => {
  const x = node._a as Tensor;
  const before = node._ctx as number[];
  let grad = g;
  for (let d = 0; d < x.ndim; d++) if (grad.shape[d] !== x.shape[d]) grad = narrow(grad, d, before[d], x.shape[d]);
  return [[x, grad]];
});

/**
 * Pads `x` with the constant `value` (default 0). `padding` holds [before, after] pairs from
 * the last dimension backwards, as PyTorch's F.pad: [1, 1] pads the last dimension by one on
 * each side, [1, 1, 2, 2] also the one before it by two. The gradient is the interior.
 *
 * @example pad(tensor([1, 2]), [1, 0], 9).toArray()   // [9, 1, 2]
 */
export function pad(x: Tensor, padding: readonly number[], value = 0): Tensor {
  checkTensor('pad', x);
  if (
    !Array.isArray(padding) ||
    padding.length % 2 !== 0 ||
    padding.length > 2 * x.ndim ||
    padding.some((p) => !Number.isInteger(p) || p < 0)
  ) {
    throw new RangeError(
      `pad(): padding must be [before, after] pairs of non-negative integers, at most one pair per dimension (${x.ndim} for shape ${formatShape(x.shape)}), ` +
        `got ${JSON.stringify(padding)}. The first pair pads the last dimension, as PyTorch's F.pad; use narrow to crop.`,
    );
  }
  if (typeof value !== 'number') throw new TypeError(`pad(): value must be a number, got ${String(value)}.`);
  const before = new Array<number>(x.ndim).fill(0);
  const shape = x.shape.slice();
  for (let k = 0; k < padding.length / 2; k++) {
    const d = x.ndim - 1 - k;
    before[d] = padding[2 * k];
    shape[d] += padding[2 * k] + padding[2 * k + 1];
  }
  const out = empty(shape, x.dtype);
  const data = dataOf(out);
  if (value !== 0) data.fill(value);
  copyInto(dataOf(x), x.shape, data, shape, before);
  return recordTensor(out, PAD, x, null, before);
}
