/**
 * The contract between the graph core and the ops. The core schedules the backward pass and
 * knows nothing about any particular op; an op contributes one shared `BackwardRule` object
 * (no closure per node) that turns the gradient arriving at a node into gradients for the
 * node's parents.
 */
import type { Value } from './value';

/** Where a rule sends the gradient it computes for each parent during a backward pass. */
export interface GradSink {
  /** Adds `grad` to the gradient flowing into `parent` in this pass (ignored if `parent` needs no grad). */
  add(parent: Value, grad: number): void;
}

/** Where a graph-building rule sends its gradients (used for higher-order gradients). */
export interface GraphGradSink {
  /** Adds `grad` (a Value that may carry its own graph) to the gradient flowing into `parent`. */
  add(parent: Value, grad: Value): void;
}

/**
 * How gradient flows backward through one op. A node created by the op stores the rule, its
 * parents (`a`, `b`, or `args` for n-ary ops) and an optional numeric constant `k`.
 */
export interface BackwardRule {
  /** The op's name, shown as `value.op`. */
  readonly name: string;
  /**
   * Numeric rule: given the gradient `grad` of the final output with respect to `node`, adds
   * `grad * d(node)/d(parent)` to `sink` for each parent.
   */
  backward(node: Value, grad: number, sink: GradSink): void;
  /**
   * The same rule written with Value ops, so that it is recorded and can be differentiated
   * again (higher-order gradients). Optional: ops without it refuse `createGraph`.
   */
  backwardGraph?(node: Value, grad: Value, sink: GraphGradSink): void;
}
