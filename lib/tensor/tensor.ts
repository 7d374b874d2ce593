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
import type { TensorOperand } from './define';
import { TensorBase } from './tensor-base';
import { add, div, eq, ge, gt, le, lt, maximum, minimum, mul, neg, pow, sub } from './ops/arithmetic';
import { abs, clamp, cos, exp, leakyRelu, log, log1p, relu, sigmoid, sin, softplus, sqrt, tanh } from './ops/unary';
import { logSumExp, max, mean, min, sum } from './ops/reduce';
import { clone, expand, flatten, permute, reshape, squeeze, toType, transpose, unsqueeze } from './ops/shape';
import { matmul } from './ops/matmul';
import { logSoftmax, softmax } from './ops/softmax';
import { add_, clamp_, copy_, div_, fill_, mul_, sub_, zero_ } from './ops/in-place';
import { scatterGrad, toValues } from './bridge';
import { backwardTensor } from './backward';

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
export class Tensor extends TensorBase {
  // ── arithmetic (lib/tensor/ops/arithmetic.ts) ──
  /** `this + other`, broadcasting. @example tensor([1, 2]).add(1).toArray()   // [2, 3] */
  add(other: TensorOperand): Tensor {
    return add(this, other);
  }
  /** `this - other`, broadcasting. @example tensor([1, 2]).sub(1).toArray()   // [0, 1] */
  sub(other: TensorOperand): Tensor {
    return sub(this, other);
  }
  /** `this * other`, broadcasting. @example tensor([1, 2]).mul(tensor([[3], [4]])).toArray()   // [[3, 6], [4, 8]] */
  mul(other: TensorOperand): Tensor {
    return mul(this, other);
  }
  /** `this / other`, broadcasting. @example tensor([1, 2]).div(2).toArray()   // [0.5, 1] */
  div(other: TensorOperand): Tensor {
    return div(this, other);
  }
  /** `this ** exponent`, broadcasting. @example tensor([2, 3]).pow(2).toArray()   // [4, 9] */
  pow(exponent: TensorOperand): Tensor {
    return pow(this, exponent);
  }
  /** `-this`. @example tensor([1]).neg().toArray()   // [-1] */
  neg(): Tensor {
    return neg(this);
  }
  /** The larger of each pair (NaN if either is NaN); the gradient goes to the larger, split on ties. @example tensor([1, 5]).maximum(3).toArray()   // [3, 5] */
  maximum(other: TensorOperand): Tensor {
    return maximum(this, other);
  }
  /** The smaller of each pair. @example tensor([1, 5]).minimum(3).toArray()   // [1, 3] */
  minimum(other: TensorOperand): Tensor {
    return minimum(this, other);
  }
  /** 1 where this > other, else 0 (no gradient). @example tensor([1, 5]).gt(3).toArray()   // [0, 1] */
  gt(other: TensorOperand): Tensor {
    return gt(this, other);
  }
  /** 1 where this >= other, else 0 (no gradient). */
  ge(other: TensorOperand): Tensor {
    return ge(this, other);
  }
  /** 1 where this < other, else 0 (no gradient). */
  lt(other: TensorOperand): Tensor {
    return lt(this, other);
  }
  /** 1 where this <= other, else 0 (no gradient). */
  le(other: TensorOperand): Tensor {
    return le(this, other);
  }
  /** 1 where this === other, else 0 (no gradient). */
  eq(other: TensorOperand): Tensor {
    return eq(this, other);
  }
  // ── unary (lib/tensor/ops/unary.ts) ──
  /** e^x. @example tensor([0]).exp().toArray()   // [1] */
  exp(): Tensor {
    return exp(this);
  }
  /** Natural log. @example tensor([1]).log().toArray()   // [0] */
  log(): Tensor {
    return log(this);
  }
  /** ln(1 + x). @example tensor([0]).log1p().toArray()   // [0] */
  log1p(): Tensor {
    return log1p(this);
  }
  /** Square root. @example tensor([9]).sqrt().toArray()   // [3] */
  sqrt(): Tensor {
    return sqrt(this);
  }
  /** Hyperbolic tangent. @example tensor([0]).tanh().toArray()   // [0] */
  tanh(): Tensor {
    return tanh(this);
  }
  /** Logistic sigmoid, without overflow. @example tensor([0]).sigmoid().toArray()   // [0.5] */
  sigmoid(): Tensor {
    return sigmoid(this);
  }
  /** ln(1 + e^x), without overflow. */
  softplus(): Tensor {
    return softplus(this);
  }
  /** Sine. */
  sin(): Tensor {
    return sin(this);
  }
  /** Cosine. */
  cos(): Tensor {
    return cos(this);
  }
  /** max(x, 0); gradient 0 at and below 0 (as PyTorch). @example tensor([-1, 2]).relu().toArray()   // [0, 2] */
  relu(): Tensor {
    return relu(this);
  }
  /** x where positive, else slope * x (slope defaults to 0.01). @example tensor([-10, 2]).leakyRelu(0.1).toArray()   // [-1, 2] */
  leakyRelu(slope?: number): Tensor {
    return leakyRelu(this, slope);
  }
  /** |x|; gradient 0 at 0 (as PyTorch). @example tensor([-2]).abs().toArray()   // [2] */
  abs(): Tensor {
    return abs(this);
  }
  /** Limits x to [min, max]; gradient passes on the closed interval. @example tensor([-2, 0.5, 3]).clamp(0, 1).toArray()   // [0, 0.5, 1] */
  clamp(min: number, max: number): Tensor {
    return clamp(this, min, max);
  }
  // ── reduce (lib/tensor/ops/reduce.ts) ──
  /** Sum over `axis` (an axis, a list, or all by default). @example tensor([[1, 2], [3, 4]]).sum(0).toArray()   // [4, 6] */
  sum(axis?: number | readonly number[] | null, keepDim?: boolean): Tensor {
    return sum(this, axis, keepDim);
  }
  /** Mean over `axis`. @example tensor([[1, 2], [3, 4]]).mean(1).toArray()   // [1.5, 3.5] */
  mean(axis?: number | readonly number[] | null, keepDim?: boolean): Tensor {
    return mean(this, axis, keepDim);
  }
  /** Maximum over `axis`; the gradient goes to the maximum (over one axis: its first occurrence; over several or all: split among ties, as PyTorch). @example tensor([[1, 5], [7, 2]]).max(1).toArray()   // [5, 7] */
  max(axis?: number | readonly number[] | null, keepDim?: boolean): Tensor {
    return max(this, axis, keepDim);
  }
  /** Minimum over `axis` (ties as `max`). @example tensor([[1, 5], [7, 2]]).min(1).toArray()   // [1, 2] */
  min(axis?: number | readonly number[] | null, keepDim?: boolean): Tensor {
    return min(this, axis, keepDim);
  }
  /** log(sum(exp(x))) over `axis`, computed without overflow. @example tensor([0, 0]).logSumExp().item()   // 0.6931471805599453 */
  logSumExp(axis?: number | readonly number[] | null, keepDim?: boolean): Tensor {
    return logSumExp(this, axis, keepDim);
  }
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
  // ── in-place (lib/tensor/ops/in-place.ts) ──
  /** this += other (broadcast to this shape), in place. @example zeros([2]).add_(1).toArray()   // [1, 1] */
  add_(other: TensorOperand): Tensor {
    return add_(this, other);
  }
  /** this -= other, in place. */
  sub_(other: TensorOperand): Tensor {
    return sub_(this, other);
  }
  /** this *= other, in place. */
  mul_(other: TensorOperand): Tensor {
    return mul_(this, other);
  }
  /** this /= other, in place. */
  div_(other: TensorOperand): Tensor {
    return div_(this, other);
  }
  /** Limits every element to [min, max], in place. */
  clamp_(min: number, max: number): Tensor {
    return clamp_(this, min, max);
  }
  /** Sets every element to `value`, in place. */
  fill_(value: number): Tensor {
    return fill_(this, value);
  }
  /** Sets every element to 0, in place. */
  zero_(): Tensor {
    return zero_(this);
  }
  /** Copies `source` (broadcast to this shape) into this tensor, in place. */
  copy_(source: TensorOperand): Tensor {
    return copy_(this, source);
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
