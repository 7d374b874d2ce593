/**
 * The backward pass. It only schedules: an iterative depth-first search puts the nodes that
 * gradient can reach in topological order (every node after all of its parents), then each
 * node's rule runs once, in reverse order, so after all of its consumers. No recursion
 * anywhere: a graph may be as deep as the loop that built it.
 *
 * Each pass keeps its own gradients in a Float64Array indexed by the node's position in the
 * order (`_slot`): nodes stay small, and only this pass's gradient propagates. `.grad` fields
 * are written at the very end, so a pass that throws (say, in a hook) changes no `.grad`.
 */
import { isDetectingAnomalies } from './anomaly-mode';
import { anomalyError, hookAnomalyError } from './anomaly-report';
import { FLAG_BITS, Flag, MAX_SLOT, NO_SLOT } from './flags';
import { NodeList } from './node-list';
import type { GradSink } from './rule';
import type { GradHook } from './extras';
import type { Value } from './value';

/** `_slot` of a node outside any pass. */
const UNVISITED = NO_SLOT;
/** `_slot` of a node whose parents the search is still visiting. */
const IN_PROGRESS = -2;

/** The gradients of one pass, indexed by `node._slot`. */
class PassGradients implements GradSink {
  /** The gradient arriving at the node whose rule runs now. */
  grad = 0;
  /** That node, tracked only under `detectAnomaly`. */
  node: Value | null = null;

  constructor(
    readonly grads: Float64Array,
    readonly checking: boolean,
  ) {}

  add(parent: Value, grad: number): void {
    if (this.checking) return this.addChecked(parent, grad);
    const slot = parent._slot;
    if (slot >= 0) this.grads[slot] += grad;
  }

  /** `add` under detectAnomaly: a non-finite gradient from a finite one, or an overflowing sum, throws. */
  private addChecked(parent: Value, grad: number): void {
    if (!Number.isFinite(grad) && Number.isFinite(this.grad)) throw anomalyError(this.node!, parent, grad);
    const slot = parent._slot;
    if (slot < 0) return;
    const before = this.grads[slot];
    const sum = (this.grads[slot] = before + grad);
    // Two finite gradients whose sum overflows (1e308 + 1e308) are an anomaly too.
    if (!Number.isFinite(sum) && Number.isFinite(before) && Number.isFinite(grad)) throw anomalyError(this.node!, parent, sum, true);
  }
}

/**
 * Runs a pass from `root` seeded with `seed`, then calls `finish` with the nodes the gradient
 * reached in topological order (`root` last) and the gradient of each (`grads[i]` belongs to
 * `order.get(i)`) while the pass's slots are still assigned. Slots are released even if
 * anything throws.
 */
export function withPass<T>(root: Value, seed: number, finish: (order: NodeList, grads: Float64Array) => T): T {
  return withOrder(root, (order) => finish(order, propagate(order, seed)));
}

/**
 * Puts the nodes that gradient can reach from `root` in topological order (`root` last, each
 * node's `_slot` its index), calls `body` with it, and releases the slots even if it throws.
 */
export function withOrder<T>(root: Value, body: (order: NodeList) => T): T {
  const order = new NodeList();
  // A pass started while another is under way (from a hook) must check every node it meets
  // for the other pass's marks; a lone pass need not.
  const nested = passesUnderWay > 0;
  passesUnderWay++;
  try {
    sortTopologically(root, order, nested);
    return body(order);
  } finally {
    passesUnderWay--;
    for (let i = 0; i < order.length; i++) order.get(i)._slot = UNVISITED;
  }
}

/** How many passes are under way; more than one only when a hook starts a pass. */
let passesUnderWay = 0;

/**
 * Depth-first search from `root` over parents that require grad, appending each node to
 * `order` once all of its parents are there, and setting its `_slot` to its index. A leaf
 * has no parents, so it is placed as soon as it is reached.
 */
function sortTopologically(root: Value, order: NodeList, nested: boolean): void {
  const stack = new NodeList();
  if (root._slot !== UNVISITED) throwOverlap();
  stack.push(root);
  try {
    while (stack.length > 0) {
      const node = stack.get(stack.length - 1);
      const slot = node._slot;
      if (slot === UNVISITED) {
        node._slot = IN_PROGRESS;
        pushParents(node, stack, order, nested);
      } else {
        stack.pop();
        if (slot === IN_PROGRESS) place(node, order);
        else if (nested && (slot >= order.length || order.get(slot) !== node)) throwOverlap();
      }
    }
  } finally {
    // Only if the search threw: release the nodes it left half-visited.
    while (stack.length > 0) {
      const node = stack.pop();
      if (node._slot === IN_PROGRESS) node._slot = UNVISITED;
    }
  }
}

function place(node: Value, order: NodeList): void {
  if (order.length > MAX_SLOT) throw new RangeError(`backward(): the graph has more than ${MAX_SLOT + 1} (2^25) nodes, more than one pass can order.`);
  node._slot = order.push(node);
}

function pushParents(node: Value, stack: NodeList, order: NodeList, nested: boolean): void {
  if (node._rule === null) return;
  if (node._a !== null) reach(node._a, stack, order, nested);
  const rest = node._rest;
  if (rest === null || typeof rest === 'number') return;
  if (Array.isArray(rest)) {
    const args = rest as readonly (Value | number)[];
    for (let j = 0; j < args.length; j++) {
      const arg = args[j];
      if (typeof arg !== 'number') reach(arg, stack, order, nested);
    }
  } else {
    reach(rest as Value, stack, order, nested);
  }
}

/** A parent the search reaches: placed at once if a leaf, stacked if not yet visited. */
function reach(parent: Value, stack: NodeList, order: NodeList, nested: boolean): void {
  const state = parent._state;
  if ((state & Flag.RequiresGrad) === 0) return;
  const slot = state >> FLAG_BITS;
  if (slot === UNVISITED) {
    if (parent._rule === null) place(parent, order);
    else stack.push(parent);
  } else if (slot === IN_PROGRESS || (nested && (slot >= order.length || order.get(slot) !== parent))) {
    // Graphs have no cycles, so a parent in progress, or placed but not by this search, is
    // held by another pass.
    throwOverlap();
  }
}

/** Runs every node's rule in reverse topological order; returns the pass's gradients. */
function propagate(order: NodeList, seed: number): Float64Array {
  const grads = new Float64Array(order.length);
  grads[order.length - 1] = seed;
  const checking = isDetectingAnomalies();
  const sink = new PassGradients(grads, checking);
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order.get(i);
    let grad = grads[i];
    if (node._extras !== null && node._extras.hooks !== null) {
      const replaced = runHooks(node._extras.hooks, grad);
      if (checking && !Number.isFinite(replaced) && Number.isFinite(grad)) throw hookAnomalyError(node, grad, replaced);
      grad = grads[i] = replaced;
    }
    const rule = node._rule;
    if (rule === null) continue;
    sink.grad = grad;
    if (checking) sink.node = node;
    rule.backward(node, sink);
  }
  return grads;
}

/** Runs `hooks` in order on `grad`; a hook that returns a number replaces the gradient. @internal */
export function runHooks(hooks: readonly GradHook[], grad: number): number {
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
