/**
 * The backward pass. It only schedules: it finds the nodes that gradient can reach, counts
 * each node's consumers, then runs each node's rule once all of its consumers are done (a
 * ready stack, as PyTorch's engine does). No recursion anywhere, so a graph may be as deep as
 * the loop that built it.
 *
 * Each pass keeps its own gradients in a Float64Array indexed by the node's position in the
 * pass (`_slot`): nodes stay small, and only this pass's gradient propagates. `.grad` fields
 * are written at the very end, so a pass that throws (say, in a hook) changes no `.grad`.
 */
import { Flag } from './flags';
import type { GradSink } from './rule';
import type { Value } from './value';

/** The gradients of one pass, indexed by `node._slot`. */
class PassGradients implements GradSink {
  constructor(readonly grads: Float64Array) {}

  add(parent: Value, grad: number): void {
    const slot = parent._slot;
    if (slot >= 0) this.grads[slot] += grad;
  }
}

/** Runs a pass from `root` seeded with `seed` and adds its gradients into `.grad`. */
export function runBackward(root: Value, seed: number): void {
  withPass(root, seed, (order, grads) => {
    for (let i = 0; i < order.length; i++) order[i].grad += grads[i];
  });
}

/**
 * Runs a pass from `root` seeded with `seed`, then calls `finish` with the nodes the gradient
 * reached and the gradient of each (`grads[i]` belongs to `order[i]`, `order[0]` is `root`)
 * while the pass's slots are still assigned. Slots are released even if anything throws.
 */
export function withPass<T>(root: Value, seed: number, finish: (order: readonly Value[], grads: Float64Array) => T): T {
  const order: Value[] = [root];
  const pending: number[] = [0];
  if (root._slot !== -1) throwOverlap();
  root._slot = 0;
  try {
    discover(order, pending);
    const grads = propagate(order, pending, seed);
    return finish(order, grads);
  } finally {
    for (let i = 0; i < order.length; i++) order[i]._slot = -1;
  }
}

/**
 * Breadth-first search from `order[0]` over parents that require grad: gives every reached
 * node a slot (its index in `order`) and counts, in `pending`, the edges into it.
 */
function discover(order: Value[], pending: number[]): void {
  for (let i = 0; i < order.length; i++) {
    const node = order[i];
    if (node._rule === null) continue;
    const args = node._args;
    if (args !== null) {
      for (let j = 0; j < args.length; j++) reach(args[j], order, pending);
    } else {
      if (node._a !== null) reach(node._a, order, pending);
      if (node._b !== null) reach(node._b, order, pending);
    }
  }
}

function reach(parent: Value, order: Value[], pending: number[]): void {
  if ((parent._flags & Flag.RequiresGrad) === 0) return;
  const slot = parent._slot;
  if (slot === -1) {
    parent._slot = order.length;
    order.push(parent);
    pending.push(1);
  } else if (order[slot] === parent) {
    pending[slot]++;
  } else {
    throwOverlap();
  }
}

/** Runs every node's rule once all its consumers have run; returns the pass's gradients. */
function propagate(order: Value[], pending: number[], seed: number): Float64Array {
  const grads = new Float64Array(order.length);
  grads[0] = seed;
  const sink = new PassGradients(grads);
  const ready: Value[] = [order[0]];
  while (ready.length > 0) {
    const node = ready.pop()!;
    const slot = node._slot;
    let grad = grads[slot];
    if (node._extras !== null && node._extras.hooks !== null) {
      grad = grads[slot] = runHooks(node._extras.hooks, grad);
    }
    const rule = node._rule;
    if (rule === null) continue;
    rule.backward(node, grad, sink);
    const args = node._args;
    if (args !== null) {
      for (let j = 0; j < args.length; j++) release(args[j], pending, ready);
    } else {
      if (node._a !== null) release(node._a, pending, ready);
      if (node._b !== null) release(node._b, pending, ready);
    }
  }
  return grads;
}

/** One consumer of `parent` is done; once all are, `parent` is ready to run its own rule. */
function release(parent: Value, pending: number[], ready: Value[]): void {
  const slot = parent._slot;
  if (slot >= 0 && --pending[slot] === 0) ready.push(parent);
}

function runHooks(hooks: readonly ((grad: number) => number | void)[], grad: number): number {
  for (const hook of hooks) {
    const replaced = hook(grad);
    if (replaced !== undefined) {
      if (typeof replaced !== 'number') {
        throw new TypeError(`gradient hook: a hook must return a number or nothing, but returned ${typeof replaced}. No .grad was changed.`);
      }
      grad = replaced;
    }
  }
  return grad;
}

function throwOverlap(): never {
  throw new Error(
    'backward(): part of this graph is already in a backward pass under way (was backward() called from a hook?). ' +
      'Run the second pass after the first one returns.',
  );
}
