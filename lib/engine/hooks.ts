/**
 * Gradient hooks in the backward pass: each hook registered on a node sees the gradient
 * arriving at it and may replace it, before the node's rule runs.
 */
import { describeForError } from './errors';
import type { GradAlgebra } from './graph';
import { hookAnomalyError } from './modes';
import { type AnyHook, type GraphNode, isScalarNode } from './node';

/** How many times user code saw gradients inside a pass (hooks, custom ops): a pass may free its temporaries only if this did not change. @internal */
export const userCode = { count: 0 };

/** Memory management around a numeric backward pass, installed by the wasm backend when it is created (so the scalar core never loads it). @internal */
export interface PassMemory {
  /** Before the pass: starts collecting the buffers it allocates; false if a pass already does. */
  begin(): boolean;
  /** After it (even if it threw): frees them if `release`, then ends the step. */
  end(began: boolean, release: boolean): void;
}

/** The installed PassMemory, or null. @internal */
export const passMemory: { current: PassMemory | null } = { current: null };

/**
 * Runs `hooks` in order on the gradient `grad` arriving at `node` and returns the gradient
 * the node's rule will see. In a createGraph pass a scalar node's hooks see the number, and
 * may not replace it (a number carries no graph); under detectAnomaly (`checking`) a hook
 * that turns a finite gradient non-finite throws.
 */
export function applyHooks(
  node: GraphNode,
  hooks: readonly AnyHook[],
  grad: number | object,
  algebra: GradAlgebra,
  createGraph: boolean,
  checking: boolean,
): number | object {
  userCode.count++;
  const original = grad;
  const scalarInGraph = createGraph && isScalarNode(node);
  for (const hook of hooks) {
    const returned = hook(scalarInGraph ? algebra.numberOf(grad as object) : grad);
    if (returned === undefined) continue;
    if (scalarInGraph) {
      if (Object.is(returned, algebra.numberOf(grad as object))) continue;
      throw new Error(
        'gradient hook: a hook that replaces the gradient cannot take part in a createGraph pass, because the number ' +
          'it returns carries no graph. Use gradientReversal(x, lambda) or a customOp to change a gradient differentiably.',
      );
    }
    if (typeof grad === 'number' && typeof returned !== 'number') {
      throw new TypeError(
        `gradient hook: a hook must return a number or nothing, but returned ${describeForError(returned)}. No .grad was changed.`,
      );
    }
    grad = typeof grad === 'number' ? (returned as number) : algebra.hookResult(node, returned);
  }
  if (checking && algebra.allFinite(original) && !algebra.allFinite(grad)) throw hookAnomalyError(node, original, grad);
  return grad;
}
