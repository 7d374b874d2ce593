/**
 * The contract between the graph core and the ops. The core schedules the backward pass and
 * knows nothing about any particular op; an op contributes one shared `BackwardRule` object
 * (no closure per node) that turns the gradient arriving at a node into gradients for the
 * node's parents.
 */
import type { Value } from './value';

/**
 * What a numeric rule sees of the backward pass: the gradient arriving at its node, and where
 * to send the gradient it computes for each parent. (The arriving gradient is read from here
 * rather than passed as an argument so that no number is boxed per node.)
 */
export interface GradSink {
  /** d(output)/d(node) for the node whose rule is running. */
  readonly grad: number;
  /** Adds `grad` to the gradient flowing into `parent` in this pass (ignored if `parent` needs no grad). */
  add(parent: Value, grad: number): void;
}

/** Where a graph-building rule sends its gradients (used for higher-order gradients). */
export interface GraphGradSink {
  /** Adds `grad` (a Value that may carry its own graph) to the gradient flowing into `parent`. */
  add(parent: Value, grad: Value): void;
}

/**
 * How gradient flows backward through one op. A node created by the op stores the rule and its
 * operands: `_a` and `_b` (a Value, or a plain-number constant), or `_args` for n-ary ops.
 */
export interface BackwardRule {
  /** The op's name, shown as `value.op`. */
  readonly name: string;
  /**
   * Numeric rule: given `sink.grad`, the gradient of the final output with respect to `node`,
   * adds `sink.grad * d(node)/d(parent)` to `sink` for each parent.
   */
  backward(node: Value, sink: GradSink): void;
  /**
   * The same rule written with Value ops, so that it is recorded and can be differentiated
   * again (higher-order gradients). Optional: ops without it refuse `createGraph`.
   */
  backwardGraph?(node: Value, grad: Value, sink: GraphGradSink): void;
}
