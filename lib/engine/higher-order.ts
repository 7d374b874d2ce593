/**
 * The graph-building backward pass (`createGraph`): the same schedule as the numeric pass,
 * but each node's gradient is a Value, and each rule's `backwardGraph` builds the parents'
 * gradients with recorded Value ops. The result can be differentiated again, to any order.
 * Stop-gradient holds at every order because detached and frozen nodes are never reached.
 */
import { isDetectingAnomalies } from './anomaly-mode';
import { anomalyError } from './anomaly-report';
import { enableGrad } from './grad-mode';
import { withOrder } from './graph';
import type { NodeList } from './node-list';
import type { GraphGradSink } from './rule';
import type { GradHook } from './extras';
import type { Value } from './value';

/** Gradients of one graph-building pass, indexed by `node._slot`; null where none arrived. */
class GraphPassGradients implements GraphGradSink {
  node: Value | null = null;
  incoming: Value | null = null;

  constructor(
    readonly grads: (Value | null)[],
    readonly checking: boolean,
  ) {}

  add(parent: Value, grad: Value): void {
    if (this.checking && !Number.isFinite(grad.data) && Number.isFinite(this.incoming!.data)) {
      throw anomalyError(this.node!, parent, grad);
    }
    const slot = parent._slot;
    if (slot < 0) return;
    const previous = this.grads[slot];
    this.grads[slot] = previous === null ? grad : previous.add(grad);
  }
}

/**
 * Runs a graph-building pass from `root` seeded with `seed`, with grad mode on, then calls
 * `finish` (also with grad mode on) with the nodes in topological order and their gradients
 * (`grads[i]` belongs to `order.get(i)`; null means no gradient arrived, i.e. zero).
 */
export function withGraphPass<T>(root: Value, seed: Value, finish: (order: NodeList, grads: readonly (Value | null)[]) => T): T {
  return enableGrad(() => withOrder(root, (order) => finish(order, propagateGraph(order, seed))));
}

function propagateGraph(order: NodeList, seed: Value): (Value | null)[] {
  const grads = new Array<Value | null>(order.length).fill(null);
  grads[order.length - 1] = seed;
  const sink = new GraphPassGradients(grads, isDetectingAnomalies());
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order.get(i);
    const grad = grads[i];
    if (grad === null) continue;
    if (node._extras !== null && node._extras.hooks !== null) runObservingHooks(node._extras.hooks, grad);
    const rule = node._rule;
    if (rule === null) continue;
    if (rule.backwardGraph === undefined) {
      throw new Error(
        `createGraph: the op '${rule.name}' has no graph-building backward rule, so its gradient cannot be differentiated again. ` +
          'Use first-order backward() for it, or give a customOp a backward written with Value ops.',
      );
    }
    sink.node = node;
    sink.incoming = grad;
    rule.backwardGraph(node, grad, sink);
  }
  return grads;
}

/** Hooks see the gradient's number; one that tries to replace it is refused (the number has no graph). */
function runObservingHooks(hooks: readonly GradHook[], grad: Value): void {
  for (const hook of hooks) {
    const replaced = hook(grad.data);
    if (replaced !== undefined && !Object.is(replaced, grad.data)) {
      throw new Error(
        'gradient hook: a hook that replaces the gradient cannot take part in a createGraph pass, because the number ' +
          'it returns carries no graph. Use gradientReversal(x, lambda) or a customOp to change a gradient differentiably.',
      );
    }
  }
}
