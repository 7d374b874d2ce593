/**
 * The Tensor: an n-d array that records the ops applied to it, on the same graph core as
 * `Value`. The node itself (fields, stop-gradient controls, gradient bookkeeping, printing) is
 * `TensorBase`; this class adds one method per op, each calling the op's function in
 * lib/tensor/ops, where its forward and gradient rule sit side by side. (Methods live on the
 * class, not patched onto a prototype, so an app that never uses tensors bundles none of this.)
 */
import type { BackwardOptions } from '../autograd/backward';
import type { Value } from '../engine/value';
import type { DType } from '../backends/backend';
import { clone, expand, flatten, permute, reshape, squeeze, toType, transpose, unsqueeze } from './ops/shape';
import { matmul } from './ops/matmul';
import { logSoftmax, softmax } from './ops/softmax';
import { narrow, pad, slice } from './ops/slice';
import { type Indices, gather, indexAdd, indexSelect, scatterAdd } from './ops/indexing';
import { type Conv2dOptions, type Pair, conv2d } from './ops/conv';
import { type AvgPool2dOptions, type MaxPool2dOptions, avgPool2d, maxPool2d } from './ops/pool';
import { scatterGrad, toValues } from './bridge';
import { backwardTensor } from './backward';
import { TensorMath } from './tensor-math';

export type { NestedArray, TensorHook } from './tensor-base';

/**
 * An n-dimensional array that records the ops applied to it, so `backward()` can fill `.grad`.
 * Create one with `tensor(data)`, `zeros(shape)`, `randn(shape, { rng })` and the like.
 *
 * @example
 * const x = tensor([1, 2, 3], { requiresGrad: true });
 * x.mul(x).sum().backward();
 * x.grad!.toArray();          // [2, 4, 6]
 */
export class Tensor extends TensorMath {
  // ── shape (lib/tensor/ops/shape.ts) ──
  /** The same elements in a new shape (one size may be -1: inferred). Shares storage. @example arange(6).reshape([2, -1]).shape   // [2, 3] */
  reshape(shape: readonly number[]): Tensor {
    return reshape(this, shape);
  }
  /** Dimensions start..end (inclusive, default all) merged into one. @example zeros([2, 3, 4]).flatten(1).shape   // [2, 12] */
  flatten(start?: number, end?: number): Tensor {
    return flatten(this, start, end);
  }
  /** Removes size-1 dimensions (all, or just `axis`). @example zeros([1, 3, 1]).squeeze().shape   // [3] */
  squeeze(axis?: number): Tensor {
    return squeeze(this, axis);
  }
  /** Inserts a size-1 dimension at `axis`. @example zeros([3]).unsqueeze(0).shape   // [1, 3] */
  unsqueeze(axis: number): Tensor {
    return unsqueeze(this, axis);
  }
  /** Swaps two dimensions (the last two by default). @example tensor([[1, 2]]).transpose().toArray()   // [[1], [2]] */
  transpose(dim0?: number, dim1?: number): Tensor {
    return transpose(this, dim0, dim1);
  }
  /** Reorders the dimensions. @example zeros([2, 3, 4]).permute([2, 0, 1]).shape   // [4, 2, 3] */
  permute(dims: readonly number[]): Tensor {
    return permute(this, dims);
  }
  /** Broadcasts to `shape` (copying the repeated elements). @example tensor([1, 2]).expand([2, 2]).toArray()   // [[1, 2], [1, 2]] */
  expand(shape: readonly number[]): Tensor {
    return expand(this, shape);
  }
  /** A copy in another dtype (differentiable). @example tensor([1]).toType('float64').dtype   // 'float64' */
  toType(dtype: DType): Tensor {
    return toType(this, dtype);
  }
  /** A copy with its own storage (differentiable). */
  clone(): Tensor {
    return clone(this);
  }
  // ── matmul (lib/tensor/ops/matmul.ts) ──
  /** The matrix product with PyTorch's rules (batched, broadcasting). @example tensor([[1, 2]]).matmul(tensor([[3], [4]])).toArray()   // [[11]] */
  matmul(other: Tensor): Tensor {
    return matmul(this, other);
  }
  // ── softmax (lib/tensor/ops/softmax.ts) ──
  /** exp(x) / sum(exp(x)) along `axis` (default last). @example tensor([0, 0]).softmax().toArray()   // [0.5, 0.5] */
  softmax(axis?: number): Tensor {
    return softmax(this, axis);
  }
  /** x - logSumExp(x) along `axis` (default last), stable for large inputs. */
  logSoftmax(axis?: number): Tensor {
    return logSoftmax(this, axis);
  }
  // ── ranges, joins and padding (lib/tensor/ops/slice.ts) ──
  /**
   * Elements start, start + step, … below end along `axis` (Python's x[start:end:step]:
   * negative positions count from the end, out-of-range ones are clamped; step > 0).
   * @example arange(6).slice(0, 1, 5, 2).toArray()   // [1, 3]
   */
  slice(axis: number, start?: number, end?: number, step?: number): Tensor {
    return slice(this, axis, start, end, step);
  }
  /** `length` elements from `start` along `axis` (PyTorch's narrow). @example arange(5).narrow(0, 1, 3).toArray()   // [1, 2, 3] */
  narrow(axis: number, start: number, length: number): Tensor {
    return narrow(this, axis, start, length);
  }
  /**
   * Pads with a constant: `padding` lists [before, after] pairs starting from the LAST
   * dimension, as PyTorch's F.pad. @example tensor([[1]]).pad([1, 2]).toArray()   // [[0, 1, 0, 0]]
   */
  pad(padding: readonly number[], value?: number): Tensor {
    return pad(this, padding, value);
  }
  // ── integer indexing (lib/tensor/ops/indexing.ts) ──
  /** The rows `indices` of `axis`, in that order (repeats allowed). @example tensor([10, 20, 30]).indexSelect(0, [2, 0, 2]).toArray()   // [30, 10, 30] */
  indexSelect(axis: number, indices: Indices): Tensor {
    return indexSelect(this, axis, indices);
  }
  /** A copy with `source`'s rows added at rows `indices` of `axis` (repeats add up). @example zeros([3]).indexAdd(0, [2, 2], tensor([1, 5])).toArray()   // [0, 0, 6] */
  indexAdd(axis: number, indices: Indices, source: Tensor): Tensor {
    return indexAdd(this, axis, indices, source);
  }
  /** PyTorch's gather: out[i][j] = this[i][index[i][j]] for axis 1. @example tensor([[1, 2], [3, 4]]).gather(1, [[1], [0]]).toArray()   // [[2], [3]] */
  gather(axis: number, index: Indices): Tensor {
    return gather(this, axis, index);
  }
  /** PyTorch's scatter_add: a copy with out[i][index[i][j]] += source[i][j] for axis 1. @example zeros([1, 3]).scatterAdd(1, [[2, 2]], tensor([[1, 5]])).toArray()   // [[0, 0, 6]] */
  scatterAdd(axis: number, index: Indices, source: Tensor): Tensor {
    return scatterAdd(this, axis, index, source);
  }
  // ── convolution and pooling (lib/tensor/ops/conv.ts, pool.ts) ──
  /** 2-D convolution of this NCHW tensor (see the free function `conv2d`). @example ones([1, 1, 3, 3]).conv2d(ones([1, 1, 2, 2])).toArray()   // [[[[4, 4], [4, 4]]]] */
  conv2d(weight: Tensor, bias?: Tensor | null | Conv2dOptions, options?: Conv2dOptions): Tensor {
    return conv2d(this, weight, bias, options);
  }
  /** Max pooling of this NCHW tensor (see the free function `maxPool2d`). @example tensor([[[[1, 2], [4, 3]]]]).maxPool2d(2).toArray()   // [[[[4]]]] */
  maxPool2d(kernel: Pair, options?: MaxPool2dOptions): Tensor {
    return maxPool2d(this, kernel, options);
  }
  /** Average pooling of this NCHW tensor (see the free function `avgPool2d`). @example tensor([[[[1, 2], [4, 3]]]]).avgPool2d(2).toArray()   // [[[[2.5]]]] */
  avgPool2d(kernel: Pair, options?: AvgPool2dOptions): Tensor {
    return avgPool2d(this, kernel, options);
  }
  // ── bridge (lib/tensor/bridge.ts) ──
  /** The elements as Values (row-major), each connected to this tensor in the graph. @example tensor([1, 2]).toValues().length   // 2 */
  toValues(): Value[] {
    return toValues(this);
  }
  /** @internal The gradient of this tensor from scalar contributions to its elements. */
  _scatterGrad(indices: readonly number[], grads: readonly (number | object)[]): Tensor {
    return scatterGrad(this, indices, grads);
  }
  // ── backward (lib/tensor/backward.ts) ──
  /**
   * Computes d(this)/d(leaf) for every leaf this tensor depends on and adds it to `.grad`
   * (as PyTorch: leaves, and non-leaves that called `retainGrad()`). `gradient` is
   * d(loss)/d(this): implicit 1 only for a one-element tensor. Calling it twice doubles every
   * `.grad` exactly; nothing changes if it throws. With `{ createGraph: true }`, `.grad`
   * carries a graph and can be differentiated again.
   *
   * @example
   * const x = tensor([3], { requiresGrad: true });
   * const y = x.mul(x);
   * y.detach_();
   * y.mul(x).sum().backward();
   * x.grad!.toArray();         // [9]
   */
  backward(gradient?: Tensor | number, options?: BackwardOptions): void {
    backwardTensor(this, gradient, options);
  }
}
