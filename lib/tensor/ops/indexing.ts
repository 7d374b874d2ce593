/**
 * Selecting by integer indices: indexSelect and its adjoint indexAdd, gather and its adjoint
 * scatterAdd (PyTorch's index_select, index_add, gather, scatter_add). Each op's gradient is
 * the other op of its pair, so gradients of every order stay within these four ops.
 */
import { needsGrad } from '../../engine/record';
import { checkTensor, tensorRule } from '../define';
import { full, tensor } from '../create';
import { dataOf, empty, recordTensor } from '../record';
import { type Shape, formatShape, normalizeAxis, sameShape, stridesOf } from '../shape';
import { Tensor } from '../tensor';
import * as K from './index-kernels';
import { aroundAxis } from './slice';

/** Integer indices: an array (nested for gather), an Int32Array, or a Tensor of integer values. */
export type Indices = NestedIndices | Int32Array | Tensor;
/** Nested arrays of integers. */
export type NestedIndices = readonly (number | NestedIndices)[];

/** Checked integer indices with their shape. @internal */
export interface IndexArray {
  readonly data: Int32Array;
  readonly shape: Shape;
}

/**
 * Reads and checks integer indices for `op`: integers in [0, size). `size` is the size of
 * the indexed axis of a tensor of `shape`. @internal
 */
export function toIndex(op: string, indices: Indices, axis: number, shape: Shape): IndexArray {
  let values: ArrayLike<number>;
  let indexShape: number[];
  if (indices instanceof Tensor) {
    values = indices._data;
    indexShape = indices.shape.slice();
  } else if (indices instanceof Int32Array) {
    values = indices;
    indexShape = [indices.length];
  } else if (Array.isArray(indices)) {
    let parsed: Tensor;
    try {
      parsed = tensor(indices as readonly number[], { dtype: 'float64' });
    } catch (error) {
      throw error instanceof Error
        ? new (error.constructor as ErrorConstructor)(error.message.replace('tensor():', `${op}(): index:`))
        : error;
    }
    values = parsed._data;
    indexShape = parsed.shape.slice();
  } else {
    throw new TypeError(
      `${op}(): indices must be an array of integers, an Int32Array or a Tensor, got ${indices === null ? 'null' : typeof indices}.`,
    );
  }
  const size = shape[axis];
  const data = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v)) throw new TypeError(`${op}(): index ${v} (at flat position ${i}) is not an integer.`);
    if (v < 0 || v >= size) {
      throw new RangeError(
        `${op}(): index ${v} is out of range for axis ${axis} of size ${size} (input shape ${formatShape(shape)}); indices must be integers in [0, ${size - 1}].`,
      );
    }
    data[i] = v;
  }
  return { data, shape: indexShape };
}

function checkAxis(op: string, x: Tensor, axis: number): number {
  if (x.ndim === 0)
    throw new RangeError(`${op}(): a 0-d tensor has no axis to index (shape []); reshape it to [1] first.`);
  return normalizeAxis(op, axis, x.ndim);
}

function oneDimensional(op: string, index: IndexArray, x: Tensor): Int32Array {
  if (index.shape.length !== 1)
    throw new RangeError(
      `${op}(): indices must be one-dimensional, got shape ${formatShape(index.shape)} (input shape ${formatShape(x.shape)}).`,
    );
  return index.data;
}

interface AxisIndex {
  axis: number;
  index: Int32Array;
}

const INDEX_SELECT = /* @__PURE__ */ tensorRule('indexSelect', [], (g, node) => {
  const x = node._a as Tensor;
  const { axis, index } = node._ctx as AxisIndex;
  return [[x, indexAddChecked(full(x.shape, 0, { dtype: g.dtype }), axis, index, g)]];
});

/**
 * The rows `indices` of `axis` (PyTorch's index_select). The gradient adds each output row
 * back to the row it came from (indexAdd).
 *
 * @example indexSelect(tensor([[1, 2], [3, 4]]), 1, [1]).toArray()   // [[2], [4]]
 */
export function indexSelect(x: Tensor, axis: number, indices: Indices): Tensor {
  checkTensor('indexSelect', x);
  const a = checkAxis('indexSelect', x, axis);
  return indexSelectChecked(x, a, oneDimensional('indexSelect', toIndex('indexSelect', indices, a, x.shape), x));
}

function indexSelectChecked(x: Tensor, axis: number, index: Int32Array): Tensor {
  const shape = x.shape.slice();
  shape[axis] = index.length;
  const out = empty(shape, x.dtype);
  const { outer, size, inner } = aroundAxis(x.shape, axis);
  K.indexSelect(dataOf(x), outer, size, inner, index, dataOf(out));
  return recordTensor(out, INDEX_SELECT, x, null, { axis, index } satisfies AxisIndex);
}

const INDEX_ADD = /* @__PURE__ */ tensorRule('indexAdd', [], (g, node) => {
  const source = node._rest as Tensor;
  const { axis, index } = node._ctx as AxisIndex;
  return [
    [node._a, g],
    [source, needsGrad(source) ? indexSelectChecked(g, axis, index) : null],
  ];
});

/**
 * A copy of `x` with `source`'s rows added at rows `indices` of `axis` (PyTorch's
 * index_add); `source` has x's shape with indices.length along `axis`.
 *
 * @example indexAdd(zeros([2, 2]), 0, [1], tensor([[1, 2]])).toArray()   // [[0, 0], [1, 2]]
 */
export function indexAdd(x: Tensor, axis: number, indices: Indices, source: Tensor): Tensor {
  checkTensor('indexAdd', x);
  checkTensor('indexAdd', source, 'source');
  const a = checkAxis('indexAdd', x, axis);
  const index = oneDimensional('indexAdd', toIndex('indexAdd', indices, a, x.shape), x);
  const expected = x.shape.slice();
  expected[a] = index.length;
  if (!sameShape(source.shape, expected)) {
    throw new RangeError(
      `indexAdd(): source has shape ${formatShape(source.shape)}, but x of shape ${formatShape(x.shape)} with ${index.length} indices along axis ${a} needs ${formatShape(expected)}.`,
    );
  }
  if (source.dtype !== x.dtype)
    throw new TypeError(`indexAdd(): source is ${source.dtype} but x is ${x.dtype}; convert one with toType().`);
  return indexAddChecked(x, a, index, source);
}

function indexAddChecked(x: Tensor, axis: number, index: Int32Array, source: Tensor): Tensor {
  const out = empty(x.shape, x.dtype);
  const data = dataOf(out);
  data.set(dataOf(x));
  const { outer, size, inner } = aroundAxis(x.shape, axis);
  K.indexAdd(dataOf(source), outer, size, inner, index, data);
  return recordTensor(out, INDEX_ADD, x, source, { axis, index } satisfies AxisIndex);
}

interface GatherCtx {
  axis: number;
  index: IndexArray;
}

/** The shape checks PyTorch makes for gather/scatter: same ndim, index no larger than x off the axis. */
function checkGatherShapes(op: string, x: Tensor, axis: number, index: IndexArray): void {
  if (index.shape.length !== x.ndim || index.shape.some((d, i) => i !== axis && d > x.shape[i])) {
    throw new RangeError(
      `${op}(): index has shape ${formatShape(index.shape)} and the input has shape ${formatShape(x.shape)}; the index needs the same number of dimensions, ` +
        `and no size larger than the input's except along axis ${axis}.`,
    );
  }
}

const GATHER = /* @__PURE__ */ tensorRule('gather', [], (g, node) => {
  const x = node._a as Tensor;
  const { axis, index } = node._ctx as GatherCtx;
  return [[x, scatterAddChecked(full(x.shape, 0, { dtype: g.dtype }), axis, index, g)]];
});

/**
 * PyTorch's gather: the output has the index's shape, and out[i][j][k] = x[i][index[i][j][k]][k]
 * for axis 1. The gradient adds each output element back where it came from (scatterAdd).
 *
 * @example gather(tensor([[1, 2], [3, 4]]), 1, [[0, 0], [1, 0]]).toArray()   // [[1, 1], [4, 3]]
 */
export function gather(x: Tensor, axis: number, index: Indices): Tensor {
  checkTensor('gather', x);
  const a = checkAxis('gather', x, axis);
  const idx = toIndex('gather', index, a, x.shape);
  checkGatherShapes('gather', x, a, idx);
  return gatherChecked(x, a, idx);
}

/** gather with indices already checked (as maxPool2d's second-order rule uses it). @internal */
export function gatherChecked(x: Tensor, axis: number, index: IndexArray): Tensor {
  const out = empty(index.shape, x.dtype);
  K.gather(dataOf(x), stridesOf(x.shape), axis, index.data, index.shape, dataOf(out));
  return recordTensor(out, GATHER, x, null, { axis, index } satisfies GatherCtx);
}

const SCATTER_ADD = /* @__PURE__ */ tensorRule('scatterAdd', [], (g, node) => {
  const source = node._rest as Tensor;
  const { axis, index } = node._ctx as GatherCtx;
  return [
    [node._a, g],
    [source, needsGrad(source) ? gatherChecked(g, axis, index) : null],
  ];
});

/**
 * PyTorch's scatter_add: a copy of `x` with out[i][index[i][j][k]][k] += source[i][j][k] for
 * axis 1 (repeats add up). `source` has the index's shape here.
 *
 * @example scatterAdd(zeros([3]), 0, [0, 2, 0], tensor([1, 2, 3])).toArray()   // [4, 0, 2]
 */
export function scatterAdd(x: Tensor, axis: number, index: Indices, source: Tensor): Tensor {
  checkTensor('scatterAdd', x);
  checkTensor('scatterAdd', source, 'source');
  const a = checkAxis('scatterAdd', x, axis);
  const idx = toIndex('scatterAdd', index, a, x.shape);
  checkGatherShapes('scatterAdd', x, a, idx);
  if (!sameShape(source.shape, idx.shape))
    throw new RangeError(
      `scatterAdd(): source has shape ${formatShape(source.shape)} and index has shape ${formatShape(idx.shape)}; they must match.`,
    );
  if (source.dtype !== x.dtype)
    throw new TypeError(`scatterAdd(): source is ${source.dtype} but x is ${x.dtype}; convert one with toType().`);
  return scatterAddChecked(x, a, idx, source);
}

function scatterAddChecked(x: Tensor, axis: number, index: IndexArray, source: Tensor): Tensor {
  const out = empty(x.shape, x.dtype);
  const data = dataOf(out);
  data.set(dataOf(x));
  K.scatterAdd(dataOf(source), stridesOf(x.shape), axis, index.data, index.shape, data);
  return recordTensor(out, SCATTER_ADD, x, source, { axis, index } satisfies GatherCtx);
}
