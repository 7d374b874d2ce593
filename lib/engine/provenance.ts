/**
 * Read-only facts about a node for tools that explain or draw graphs (viz, explainGrad):
 * why a node needs no grad, and the numeric constant its op was given. Tools read nodes
 * through these functions, never through the node's internal fields.
 */
import { FLAG_MASK, Flag, type GraphNode } from './node';
import { Value } from './value';

/**
 * Why a node needs no gradient, or null if it does:
 * - `'detached-in-place'`: `detach_()` cut it out of its graph;
 * - `'stop-gradient'`: made by `detach()` or `stopGradient()`;
 * - `'frozen'`: a leaf frozen with `requiresGrad_(false)`;
 * - `'no-grad'`: computed under `noGrad()` from inputs that required grad;
 * - `'from-constants'`: computed by an op none of whose inputs required grad (constants,
 *   frozen leaves, stopGradient copies), so it kept no parents;
 * - `'constant'`: created as a constant.
 */
export type NoGradReason = 'detached-in-place' | 'stop-gradient' | 'frozen' | 'no-grad' | 'from-constants' | 'constant';

/** Why `value` needs no gradient (see `NoGradReason`), or null if gradient flows into it. */
export function noGradReason(value: GraphNode): NoGradReason | null {
  const flags = value._state & FLAG_MASK;
  if ((flags & Flag.RequiresGrad) !== 0) return null;
  if ((flags & Flag.DetachedInPlace) !== 0) return 'detached-in-place';
  if ((flags & Flag.StoppedGradient) !== 0) return 'stop-gradient';
  if ((flags & Flag.Frozen) !== 0) return 'frozen';
  if ((flags & Flag.CreatedUnderNoGrad) !== 0) return 'no-grad';
  if ((flags & Flag.ComputedFromConstants) !== 0) return 'from-constants';
  return 'constant';
}

/** Whether `detach_()` was ever called on `value` (it stays marked even if later unfrozen). */
export function wasDetachedInPlace(value: GraphNode): boolean {
  return (value._state & Flag.DetachedInPlace) !== 0;
}

/** Every plain-number operand of `value`'s op, in operand order (`[2]` for `x.mul(2)`). */
export function constantOperands(node: GraphNode): number[] {
  if (!(node instanceof Value)) return typeof node._rest === 'number' ? [node._rest] : [];
  const value = node; // a leaf keeps no operands (_rest is null)
  if (value._args !== null) return value._args.filter((arg): arg is number => typeof arg === 'number');
  return typeof value._b === 'number' ? [value._b] : [];
}

/** One edge of the graph with its local derivative: d(node)/d(parent) at the recorded data. */
export interface LocalDerivative {
  parent: Value;
  derivative: number;
  /** The operand's position in the op (0 for the first). */
  index: number;
}

/**
 * The local derivative of `node` along each edge to a parent that requires grad, evaluated by
 * running the op's numeric rule with an incoming gradient of 1 (an edge per operand, so
 * `x.mul(x)` lists x twice). A parent the rule sends nothing to has derivative 0. Empty for a
 * leaf or a node whose rule has no numeric form.
 */
export function localDerivatives(node: Value): LocalDerivative[] {
  const rule = node._rule;
  if (rule === null || rule.backward === undefined) return [];
  const operands: (Value | number | null)[] = node._args !== null ? [...node._args] : [node._a, node._b];
  const sent: { parent: Value; derivative: number }[] = [];
  rule.backward(node, {
    grad: 1,
    add: (parent, derivative) => sent.push({ parent: parent as Value, derivative }),
    addAt: () => undefined,
  });
  const edges: LocalDerivative[] = [];
  operands.forEach((operand, index) => {
    if (operand === null || typeof operand === 'number' || (operand._flags & Flag.RequiresGrad) === 0) return;
    const at = sent.findIndex((edge) => edge.parent === operand);
    edges.push({ parent: operand, derivative: at < 0 ? 0 : sent.splice(at, 1)[0].derivative, index });
  });
  return edges;
}

/** Why the local derivative of `node` to operand `index` is 0, in words its op's rule gives, or null if it does not say. */
export function zeroReasonOf(node: Value, index: number): string | null {
  return node._rule?.whyZero?.(node, index) ?? null;
}
