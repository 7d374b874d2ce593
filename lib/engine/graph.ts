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
import { NodeList } from './node-list';
import type { GradSink } from './rule';
import type { Value } from './value';

/** The gradients of one pass, indexed by `node._slot`. */
class PassGradients implements GradSink {
  /** The gradient arriving at the node whose rule runs now. */
  grad = 0;

  constructor(readonly grads: Float64Array) {}

  add(parent: Value, grad: number): void {
    const slot = parent._slot;
    if (slot >= 0) this.grads[slot] += grad;
  }
}

/** Runs a pass from `root` seeded with `seed` and adds its gradients into `.grad`. */
export function runBackward(root: Value, seed: number): void {
  withPass(root, seed, (order, grads) => {
    for (let i = 0; i < order.length; i++) order.get(i).grad += grads[i];
  });
}

/**
 * Runs a pass from `root` seeded with `seed`, then calls `finish` with the nodes the gradient
 * reached and the gradient of each (`grads[i]` belongs to `order.get(i)`, the first is `root`)
 * while the pass's slots are still assigned. Slots are released even if anything throws.
 */
export function withPass<T>(root: Value, seed: number, finish: (order: NodeList, grads: Float64Array) => T): T {
  if (root._slot !== -1) throwOverlap();
  const order = new NodeList();
  root._slot = order.push(root);
  try {
    discover(order);
    const grads = propagate(order, countConsumers(order), seed);
    return finish(order, grads);
  } finally {
    for (let i = 0; i < order.length; i++) order.get(i)._slot = -1;
  }
}

/**
 * Breadth-first search from `order[0]` over parents that require grad: appends every node it
 * reaches to `order` and gives it a slot, its index there.
 */
function discover(order: NodeList): void {
  for (let i = 0; i < order.length; i++) {
    const node = order.get(i);
    if (node._rule === null) continue;
    const args = node._args;
    if (args !== null) {
      for (let j = 0; j < args.length; j++) {
        const arg = args[j];
        if (typeof arg !== 'number') reach(arg, order);
      }
    } else {
      if (node._a !== null) reach(node._a, order);
      if (node._b !== null && typeof node._b !== 'number') reach(node._b, order);
    }
  }
}

function reach(parent: Value, order: NodeList): void {
  if ((parent._flags & Flag.RequiresGrad) === 0) return;
  const slot = parent._slot;
  if (slot === -1) {
    parent._slot = order.push(parent);
  } else if (slot >= order.length || order.get(slot) !== parent) {
    throwOverlap();
  }
}

/** For each node of the pass, how many edges lead into it from nodes of the pass. */
function countConsumers(order: NodeList): Int32Array {
  const pending = new Int32Array(order.length);
  for (let i = 0; i < order.length; i++) {
    const node = order.get(i);
    if (node._rule === null) continue;
    const args = node._args;
    if (args !== null) {
      for (let j = 0; j < args.length; j++) {
        const arg = args[j];
        if (typeof arg !== 'number') count(arg, pending);
      }
    } else {
      if (node._a !== null) count(node._a, pending);
      if (node._b !== null && typeof node._b !== 'number') count(node._b, pending);
    }
  }
  return pending;
}

function count(parent: Value, pending: Int32Array): void {
  if (parent._slot >= 0) pending[parent._slot]++;
}

/** Runs every node's rule once all its consumers have run; returns the pass's gradients. */
function propagate(order: NodeList, pending: Int32Array, seed: number): Float64Array {
  const grads = new Float64Array(order.length);
  grads[0] = seed;
  const sink = new PassGradients(grads);
  const ready: Value[] = [order.get(0)];
  while (ready.length > 0) {
    const node = ready.pop()!;
    const slot = node._slot;
    let grad = grads[slot];
    if (node._extras !== null && node._extras.hooks !== null) {
      grad = grads[slot] = runHooks(node._extras.hooks, grad);
    }
    const rule = node._rule;
    if (rule === null) continue;
    sink.grad = grad;
    rule.backward(node, sink);
    const args = node._args;
    if (args !== null) {
      for (let j = 0; j < args.length; j++) {
        const arg = args[j];
        if (typeof arg !== 'number') release(arg, pending, ready);
      }
    } else {
      if (node._a !== null) release(node._a, pending, ready);
      if (node._b !== null && typeof node._b !== 'number') release(node._b, pending, ready);
    }
  }
  return grads;
}

/** One consumer of `parent` is done; once all are, `parent` is ready to run its own rule. */
function release(parent: Value, pending: Int32Array, ready: Value[]): void {
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
