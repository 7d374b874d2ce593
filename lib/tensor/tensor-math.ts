/**
 * The element-wise part of `Tensor`'s methods: arithmetic with broadcasting, the unary
 * functions, reductions and the in-place ops, each calling its op in lib/tensor/ops (where the
 * forward and gradient rule sit side by side). `Tensor` (tensor.ts) adds the rest.
 */
import type { OperandOrValue, TensorOperand } from './define';
import type { Tensor } from './tensor';
import { TensorBase } from './tensor-base';
import { add, div, eq, ge, gt, le, lt, maximum, minimum, mul, neg, pow, sub } from './ops/arithmetic';
import { abs, clamp, cos, exp, leakyRelu, log, log1p, relu, sigmoid, sin, softplus, sqrt, tanh } from './ops/unary';
import { argmax, argmin, logSumExp, max, mean, min, sum } from './ops/reduce';
import { add_, clamp_, copy_, div_, fill_, mul_, sub_, zero_ } from './ops/in-place';

/** The element-wise methods of `Tensor`; use `Tensor`. */
export class TensorMath extends TensorBase {
  // ── arithmetic (lib/tensor/ops/arithmetic.ts) ──
  /** `this + other`, broadcasting. @example tensor([1, 2]).add(1).toArray()   // [2, 3] */
  add(this: Tensor, other: OperandOrValue): Tensor {
    return add(this, other);
  }
  /** `this - other`, broadcasting. @example tensor([1, 2]).sub(1).toArray()   // [0, 1] */
  sub(this: Tensor, other: OperandOrValue): Tensor {
    return sub(this, other);
  }
  /** `this * other`, broadcasting. @example tensor([1, 2]).mul(tensor([[3], [4]])).toArray()   // [[3, 6], [4, 8]] */
  mul(this: Tensor, other: OperandOrValue): Tensor {
    return mul(this, other);
  }
  /** `this / other`, broadcasting. @example tensor([1, 2]).div(2).toArray()   // [0.5, 1] */
  div(this: Tensor, other: OperandOrValue): Tensor {
    return div(this, other);
  }
  /** `this ** exponent`, broadcasting. @example tensor([2, 3]).pow(2).toArray()   // [4, 9] */
  pow(this: Tensor, exponent: OperandOrValue): Tensor {
    return pow(this, exponent);
  }
  /** `-this`. @example tensor([1]).neg().toArray()   // [-1] */
  neg(this: Tensor): Tensor {
    return neg(this);
  }
  /** The larger of each pair (NaN if either is NaN); the gradient goes to the larger, split on ties. @example tensor([1, 5]).maximum(3).toArray()   // [3, 5] */
  maximum(this: Tensor, other: OperandOrValue): Tensor {
    return maximum(this, other);
  }
  /** The smaller of each pair. @example tensor([1, 5]).minimum(3).toArray()   // [1, 3] */
  minimum(this: Tensor, other: OperandOrValue): Tensor {
    return minimum(this, other);
  }
  /** 1 where this > other, else 0 (no gradient). @example tensor([1, 5]).gt(3).toArray()   // [0, 1] */
  gt(this: Tensor, other: TensorOperand): Tensor {
    return gt(this, other);
  }
  /** 1 where this >= other, else 0 (no gradient). */
  ge(this: Tensor, other: TensorOperand): Tensor {
    return ge(this, other);
  }
  /** 1 where this < other, else 0 (no gradient). */
  lt(this: Tensor, other: TensorOperand): Tensor {
    return lt(this, other);
  }
  /** 1 where this <= other, else 0 (no gradient). */
  le(this: Tensor, other: TensorOperand): Tensor {
    return le(this, other);
  }
  /** 1 where this === other, else 0 (no gradient). */
  eq(this: Tensor, other: TensorOperand): Tensor {
    return eq(this, other);
  }
  // ── unary (lib/tensor/ops/unary.ts) ──
  /** e^x. @example tensor([0]).exp().toArray()   // [1] */
  exp(this: Tensor): Tensor {
    return exp(this);
  }
  /** Natural log. @example tensor([1]).log().toArray()   // [0] */
  log(this: Tensor): Tensor {
    return log(this);
  }
  /** ln(1 + x). @example tensor([0]).log1p().toArray()   // [0] */
  log1p(this: Tensor): Tensor {
    return log1p(this);
  }
  /** Square root. @example tensor([9]).sqrt().toArray()   // [3] */
  sqrt(this: Tensor): Tensor {
    return sqrt(this);
  }
  /** Hyperbolic tangent. @example tensor([0]).tanh().toArray()   // [0] */
  tanh(this: Tensor): Tensor {
    return tanh(this);
  }
  /** Logistic sigmoid, without overflow. @example tensor([0]).sigmoid().toArray()   // [0.5] */
  sigmoid(this: Tensor): Tensor {
    return sigmoid(this);
  }
  /** ln(1 + e^x), without overflow. */
  softplus(this: Tensor): Tensor {
    return softplus(this);
  }
  /** Sine. */
  sin(this: Tensor): Tensor {
    return sin(this);
  }
  /** Cosine. */
  cos(this: Tensor): Tensor {
    return cos(this);
  }
  /** max(x, 0); gradient 0 at and below 0 (as PyTorch). @example tensor([-1, 2]).relu().toArray()   // [0, 2] */
  relu(this: Tensor): Tensor {
    return relu(this);
  }
  /** x where positive, else slope * x (slope defaults to 0.01). @example tensor([-10, 2]).leakyRelu(0.1).toArray()   // [-1, 2] */
  leakyRelu(this: Tensor, slope?: number): Tensor {
    return leakyRelu(this, slope);
  }
  /** |x|; gradient 0 at 0 (as PyTorch). @example tensor([-2]).abs().toArray()   // [2] */
  abs(this: Tensor): Tensor {
    return abs(this);
  }
  /** Limits x to [min, max]; gradient passes on the closed interval. @example tensor([-2, 0.5, 3]).clamp(0, 1).toArray()   // [0, 0.5, 1] */
  clamp(this: Tensor, min: number, max: number): Tensor {
    return clamp(this, min, max);
  }
  // ── reduce (lib/tensor/ops/reduce.ts) ──
  /** Sum over `axis` (an axis, a list, or all by default). @example tensor([[1, 2], [3, 4]]).sum(0).toArray()   // [4, 6] */
  sum(this: Tensor, axis?: number | readonly number[] | null, keepDim?: boolean): Tensor {
    return sum(this, axis, keepDim);
  }
  /** Mean over `axis`. @example tensor([[1, 2], [3, 4]]).mean(1).toArray()   // [1.5, 3.5] */
  mean(this: Tensor, axis?: number | readonly number[] | null, keepDim?: boolean): Tensor {
    return mean(this, axis, keepDim);
  }
  /** Maximum over `axis`; the gradient goes to the maximum (over one axis: its first occurrence; over several or all: split among ties, as PyTorch). @example tensor([[1, 5], [7, 2]]).max(1).toArray()   // [5, 7] */
  max(this: Tensor, axis?: number | readonly number[] | null, keepDim?: boolean): Tensor {
    return max(this, axis, keepDim);
  }
  /** Minimum over `axis` (ties as `max`). @example tensor([[1, 5], [7, 2]]).min(1).toArray()   // [1, 2] */
  min(this: Tensor, axis?: number | readonly number[] | null, keepDim?: boolean): Tensor {
    return min(this, axis, keepDim);
  }
  /** Index of the maximum along `axis` (first on ties; flattened with no axis), as a float64 tensor needing no grad. @example tensor([[1, 5], [7, 2]]).argmax(1).toArray()   // [1, 0] */
  argmax(this: Tensor, axis?: number | null, keepDim?: boolean): Tensor {
    return argmax(this, axis, keepDim);
  }
  /** Index of the minimum along `axis` (see `argmax`). @example tensor([[1, 5], [7, 2]]).argmin(1).toArray()   // [0, 1] */
  argmin(this: Tensor, axis?: number | null, keepDim?: boolean): Tensor {
    return argmin(this, axis, keepDim);
  }
  /** log(sum(exp(x))) over `axis`, computed without overflow. @example tensor([0, 0]).logSumExp().item()   // 0.6931471805599453 */
  logSumExp(this: Tensor, axis?: number | readonly number[] | null, keepDim?: boolean): Tensor {
    return logSumExp(this, axis, keepDim);
  }
  // ── in-place (lib/tensor/ops/in-place.ts) ──
  /** this += other (broadcast to this shape), in place. @example zeros([2]).add_(1).toArray()   // [1, 1] */
  add_(this: Tensor, other: TensorOperand): Tensor {
    return add_(this, other);
  }
  /** this -= other, in place. */
  sub_(this: Tensor, other: TensorOperand): Tensor {
    return sub_(this, other);
  }
  /** this *= other, in place. */
  mul_(this: Tensor, other: TensorOperand): Tensor {
    return mul_(this, other);
  }
  /** this /= other, in place. */
  div_(this: Tensor, other: TensorOperand): Tensor {
    return div_(this, other);
  }
  /** Limits every element to [min, max], in place. */
  clamp_(this: Tensor, min: number, max: number): Tensor {
    return clamp_(this, min, max);
  }
  /** Sets every element to `value`, in place. */
  fill_(this: Tensor, value: number): Tensor {
    return fill_(this, value);
  }
  /** Sets every element to 0, in place. */
  zero_(this: Tensor): Tensor {
    return zero_(this);
  }
  /** Copies `source` (broadcast to this shape) into this tensor, in place. */
  copy_(this: Tensor, source: TensorOperand): Tensor {
    return copy_(this, source);
  }
}
