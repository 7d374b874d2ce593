/**
 * The contract between the graph core and the ops, and the one place that decides whether an
 * op's result is recorded. An op contributes one shared `BackwardRule` object (no closure per
 * node) that turns the gradient arriving at a node into gradients for its parents; the core
 * schedules rules and knows nothing about any particular op or node kind.
 */
import { describeForError } from './errors';
import { creationSite, isDetectingAnomalies, isGradEnabled } from './modes';
import { Flag, type GraphNode, type Operands, extrasOf } from './node';
import { type Operands as ValueOperands, Value } from './value';

/**
 * What a numeric scalar rule sees of a backward pass: the gradient arriving at its node, and
 * where to send each parent's gradient. (The arriving gradient is read from here rather than
 * passed as an argument so that no number is boxed per node.)
 */
export interface GradSink {
  /** d(output)/d(node) for the node whose rule is running. */
  readonly grad: number;
  /** Adds `grad` to the gradient flowing into the scalar `parent` (ignored if it needs no grad). */
  add(parent: GraphNode, grad: number): void;
  /** Adds `grad` to element `index` (row-major) of the gradient flowing into the tensor `parent`. */
  addAt(parent: GraphNode, index: number, grad: number): void;
}

/**
 * Where a rule written with ops sends its gradients: Values for scalar parents, Tensors for
 * tensor parents. Under `createGraph` they carry graphs of their own; otherwise they are
 * computed with recording off.
 */
export interface GraphGradSink<G extends object = object> {
  /** Adds `grad` to the gradient flowing into `parent`. */
  add(parent: GraphNode, grad: G): void;
  /** Adds the scalar `grad` (a Value) to element `index` of the gradient of the tensor `parent`. */
  addAt(parent: GraphNode, index: number, grad: object): void;
}

/**
 * How gradient flows backward through one op. A node created by the op stores the rule and its
 * operands: `_a` and `_rest` (see `GraphNode`).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface BackwardRule<N extends GraphNode = any, G extends object = any> {
  /** The op's name, shown as `node.op`. */
  readonly name: string;
  /**
   * The scalar fast path: given `sink.grad`, adds `sink.grad * d(node)/d(parent)` for each
   * parent, on plain numbers. Scalar ops only; a spec checks it against `backwardGraph`.
   */
  backward?(node: N, sink: GradSink): void;
  /**
   * The rule written with the ops themselves, so that it serves every pass: run with recording
   * off it gives the numeric gradient (tensor nodes always take this path), run with recording
   * on (`createGraph`) it builds a graph that can be differentiated again.
   */
  backwardGraph?(node: N, grad: G, sink: GraphGradSink<G>): void;
  /**
   * Why the local derivative to operand `index` is 0 at this node, in a few words ("a relu
   * at or below 0"), or null if it is not, or not known. Used by `explainGrad`.
   */
  whyZero?(node: N, index: number): string | null;
}

/**
 * An op's rule as an object of one fixed layout (every field present, in one order), so that
 * every rule shares one V8 hidden class and the backward loop's `rule.backward` stays a
 * monomorphic load however many ops a graph mixes. Define rules with it.
 * @example
 * const NEG = defineRule<Value, Value>({ name: 'neg', backward: (node, sink) => sink.add(node._a!, -sink.grad) });
 */
export function defineRule<N extends GraphNode, G extends object>(rule: BackwardRule<N, G>): BackwardRule<N, G> {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- rules never read `this`
  return { name: rule.name, backward: rule.backward, backwardGraph: rule.backwardGraph, whyZero: rule.whyZero };
}

/**
 * Decides what an op's result records. Grad mode on and some operand requiring grad: the
 * rule and operands are kept (returns true). Otherwise the result is a leaf that needs no
 * grad and keeps no parents, so a frozen or no-grad computation costs no graph memory.
 * @internal
 */
export function record(
  out: GraphNode,
  rule: BackwardRule,
  a: GraphNode | null,
  rest: GraphNode | number | Operands | null,
  anyRequiresGrad: boolean,
): void {
  if (!anyRequiresGrad) {
    out._state = (out._state & ~Flag.RequiresGrad) | Flag.ComputedFromConstants;
  } else if (!isGradEnabled()) {
    out._state = (out._state & ~Flag.RequiresGrad) | Flag.CreatedUnderNoGrad;
  } else {
    out._state |= Flag.RequiresGrad;
    out._a = a;
    out._rest = rest;
    out._rule = rule;
    if (isDetectingAnomalies()) extrasOf(out).createdAt = creationSite();
  }
}

/**
 * `record` for a scalar result, written out for speed (it runs once per scalar op): a new
 * Value holding `data`, recording `rule` with operands `a` and `rest` when it should.
 * @internal
 */
export function makeNode(
  rule: BackwardRule,
  data: number,
  a: Value | null,
  rest: Value | number | ValueOperands | null,
  anyRequiresGrad: boolean,
): Value {
  const out = new Value(data);
  if (!anyRequiresGrad) {
    out._flags = Flag.ComputedFromConstants;
  } else if (!isGradEnabled()) {
    out._flags = Flag.CreatedUnderNoGrad;
  } else {
    out._a = a;
    out._rest = rest;
    out._rule = rule;
    if (isDetectingAnomalies()) extrasOf(out).createdAt = creationSite();
  }
  return out;
}

/** Throws the TypeError for an operand that is not a node or number the op accepts. @internal */
export function badOperand(op: string, operand: unknown, expected = 'a Value or a number'): never {
  throw new TypeError(
    `${op}(): expected ${expected}, got ${describeForError(operand)}. ` +
      'Strings are not converted: pass Number(s), or wrap data with new Value(x) or tensor(x).',
  );
}

/** Whether gradient flows into `node` (the hot-path form of `node.requiresGrad`). @internal */
export function needsGrad(node: GraphNode): boolean {
  return (node._state & Flag.RequiresGrad) !== 0;
}
