/**
 * How a tensor op is defined: its forward (a kernel call) and its gradient rule, written with
 * tensor ops, side by side. The rule serves every pass: with recording off it is the numeric
 * gradient, under `createGraph` it records a graph that can be differentiated again. The only
 * step a tensor rule adds to a scalar one is `reduceTo`: summing a broadcast gradient back to
 * the operand's shape.
 */
import { describeForError } from '../engine/errors';
import type { GraphNode } from '../engine/node';
import type { BackwardRule, GraphGradSink } from '../engine/record';
import { needsGrad } from '../engine/record';
import type { BinaryOp, DType, TypedArray, UnaryOp } from '../backends/backend';
import { currentBackend, scalarArray } from './backend-choice';
import { checkVersions, dataOf, recordTensor, uninitialized } from './record';
import { type Shape, broadcastShapes, broadcastStrides, formatShape, sameShape, stridesOf } from './shape';
import { Tensor } from './tensor';
import { Value } from '../engine/value';
import { fromValues } from './bridge';

/** An operand of a tensor op: a Tensor, or a plain number (a constant, kept on the node). */
export type TensorOperand = Tensor | number;

/** What a binary tensor op accepts: also a scalar Value, which joins the graph as a 0-d tensor. */
export type OperandOrValue = TensorOperand | Value;

/**
 * The dtype of a result, as PyTorch promotes: float64 if a tensor operand is float64, except
 * that a 0-d tensor (like a number) does not widen an operand that has dimensions. @internal
 */
export function resultType(a: TensorOperand, b?: TensorOperand): DType {
  const ta = a instanceof Tensor ? a : null;
  const tb = b instanceof Tensor ? b : null;
  if (ta !== null && tb !== null && (ta.ndim === 0) !== (tb.ndim === 0)) return (ta.ndim === 0 ? tb : ta).dtype;
  return ta?.dtype === 'float64' || tb?.dtype === 'float64' ? 'float64' : 'float32';
}

/** Checks that `x` is a Tensor (or, with `numbers`, a number) for `op`. @internal */
export function checkTensor(op: string, x: unknown, name = 'input'): Tensor {
  if (x instanceof Tensor) return x;
  throw new TypeError(`${op}(): ${name} must be a Tensor, got ${describeForError(x)}. Make one with tensor(data).`);
}

/** The gradient `grad` summed over broadcast dimensions so it has `target`'s shape and dtype. @internal */
export function reduceTo(grad: Tensor, target: Tensor): Tensor {
  let g = grad;
  if (!sameShape(g.shape, target.shape)) {
    const lead = g.ndim - target.ndim;
    const axes: number[] = [];
    for (let i = 0; i < g.ndim; i++) if (i < lead || (target.shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
    g = g.sum(axes, true);
    if (lead > 0 || !sameShape(g.shape, target.shape)) g = g.reshape(target.shape);
  }
  return g.dtype === target.dtype ? g : g.toType(target.dtype);
}

/** Sends `grad` to `parent` if it needs grad, reduced to its shape. @internal */
export function sendTo(sink: GraphGradSink, parent: GraphNode | number | null, grad: Tensor | null): void {
  if (grad === null || parent === null || typeof parent === 'number' || !needsGrad(parent)) return;
  sink.add(parent, parent instanceof Tensor ? reduceTo(grad, parent) : grad);
}

/** An operand's elements for a kernel: a tensor's data, or a number as a one-element array of `dtype`. @internal */
export function asArray(x: TensorOperand, dtype: DType, slot = 0): TypedArray {
  return x instanceof Tensor ? dataOf(x) : scalarArray(x, dtype, slot);
}

function shapeOf(x: TensorOperand): Shape {
  return x instanceof Tensor ? x.shape : [];
}

/** Runs the binary kernel `op` on broadcast operands into a new tensor (no graph). @internal */
export function binaryKernel(name: string, op: BinaryOp, a: TensorOperand, b: TensorOperand): Tensor {
  const shape = broadcastShapes(name, shapeOf(a), shapeOf(b));
  const dtype = resultType(a, b);
  const out = uninitialized(shape, dtype);
  const aStrides = broadcastStrides(shapeOf(a), shape);
  const bStrides = broadcastStrides(shapeOf(b), shape);
  currentBackend().binary(op, asArray(a, dtype, 0), aStrides, asArray(b, dtype, 1), bStrides, shape, dataOf(out));
  return out;
}

/** What a binary op's rule computes: the gradients of both operands (null where none). */
export type BinaryGrad = (
  grad: Tensor,
  a: TensorOperand,
  b: TensorOperand,
  out: Tensor,
) => [Tensor | null, Tensor | null];

/**
 * Defines a differentiable binary op with broadcasting: the forward runs kernel `op`; `grad`
 * gives the gradients (written with tensor ops); `reads` lists what the rule reads (0, 1 for
 * the operands, -1 for the output), checked against in-place changes. @internal
 */
export function binaryOp(
  name: string,
  op: BinaryOp,
  grad: BinaryGrad,
  reads: readonly number[],
): (a: OperandOrValue, b: OperandOrValue) => Tensor {
  const rule: BackwardRule<Tensor, Tensor> = {
    name,
    backwardGraph(node, g, sink) {
      checkVersions(node, reads);
      const a = node._a as Tensor | null;
      const b = node._rest as TensorOperand;
      const [ga, gb] = grad(g, a ?? (node._ctx as number), b, node);
      sendTo(sink, a, ga);
      sendTo(sink, b, gb);
    },
  };
  return (first, second) => {
    // A scalar Value joins the tensor graph as a 0-d tensor; its gradient flows back to it.
    const a = first instanceof Value ? fromValues([first], []) : first;
    const b = second instanceof Value ? fromValues([second], []) : second;
    if (!(a instanceof Tensor) && typeof a !== 'number') checkTensor(name, a, 'first operand');
    if (!(b instanceof Tensor) && typeof b !== 'number') checkTensor(name, b, 'second operand');
    const out = binaryKernel(name, op, a, b);
    // A number first operand is kept in _ctx (the core's first operand field holds nodes only).
    return recordTensor(out, rule, a instanceof Tensor ? a : null, b, typeof a === 'number' ? a : null);
  };
}

/** What a unary op's rule computes: the gradient of its input. */
export type UnaryGrad = (grad: Tensor, x: Tensor, out: Tensor) => Tensor;

/** Defines a differentiable elementwise op of one tensor, forward by kernel `op`. @internal */
export function unaryOp(name: string, op: UnaryOp, grad: UnaryGrad, reads: readonly number[]): (x: Tensor) => Tensor {
  const rule = tensorRule(name, reads, (g, node) => [[node._a, grad(g, node._a as Tensor, node)]]);
  return (x) => {
    checkTensor(name, x);
    const out = uninitialized(x.shape, x.dtype);
    currentBackend().unary(op, dataOf(x), dataOf(out));
    return recordTensor(out, rule, x, null);
  };
}

/**
 * A tensor rule from a function returning [parent, gradient] pairs: versions are checked,
 * each gradient reduced to its parent's shape and sent. @internal
 */
export function tensorRule(
  name: string,
  reads: readonly number[],
  grads: (grad: Tensor, node: Tensor) => readonly (readonly [GraphNode | number | null, Tensor | null])[],
): BackwardRule<Tensor, Tensor> {
  return {
    name,
    backwardGraph(node, g, sink) {
      checkVersions(node, reads);
      for (const [parent, grad] of grads(g, node)) sendTo(sink, parent, grad);
    },
  };
}

/** Throws the RangeError for a shape `op` cannot take. @internal */
export function shapeError(op: string, message: string, ...shapes: Shape[]): never {
  throw new RangeError(`${op}(): ${message} (got ${shapes.map(formatShape).join(' and ')}).`);
}

export { stridesOf };
