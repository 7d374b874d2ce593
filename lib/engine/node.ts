/**
 * What every graph node is, whatever it holds (a scalar `Value`, a `Tensor`): the five fields
 * the backward pass reads, the flag bits that say why gradient does or does not flow, and the
 * side object for rarely used data. The graph core schedules any object of this shape; it
 * knows no op and no node kind.
 */
import { describeForError } from './errors';
import type { BackwardRule } from './record';

/** The operands of an n-ary op: parent nodes and numeric constants, in order. @internal */
export type Operands = readonly (GraphNode | number)[];

/**
 * A node of the graph: a `Value` or a `Tensor`. Its fields are the graph core's (both kinds
 * declare exactly these, in this order, first, so one backward pass schedules both).
 */
export interface GraphNode {
  /** @internal First parent, or null. */
  _a: GraphNode | null;
  /** @internal A second operand (parent or numeric constant), or all operands of an n-ary op, or null. */
  _rest: GraphNode | number | Operands | null;
  /** @internal The op's backward rule; null for a leaf. */
  _rule: BackwardRule | null;
  /** @internal Flags (low `FLAG_BITS` bits) and the node's slot in a pass under way (above them). */
  _state: number;
  /** @internal Label, hooks and other rarely used data, or null. */
  _extras: NodeExtras | null;
}

/** Bits of a node's flags: why gradient does or does not flow through it. @internal */
export const Flag = {
  /** Gradients flow into this node. */
  RequiresGrad: 1,
  /** `detach_()` cut this node out of its graph. */
  DetachedInPlace: 2,
  /** A leaf that required grad until `requiresGrad_(false)` froze it. */
  Frozen: 4,
  /** Made by `detach()` or `stopGradient()`. */
  StoppedGradient: 8,
  /** Produced by an op under `noGrad` from inputs that required grad. */
  CreatedUnderNoGrad: 16,
  /** Produced by an op none of whose inputs required grad (so it kept no parents). */
  ComputedFromConstants: 32,
} as const;

/** How many low bits of `_state` hold the flags; the slot is stored above them. @internal */
export const FLAG_BITS = 6;
/** The flag bits of `_state`. @internal */
export const FLAG_MASK = (1 << FLAG_BITS) - 1;
/** The slot of a node outside any backward pass. @internal */
export const NO_SLOT = -1;
/** The largest slot `_state` can hold (the most nodes one pass can order). @internal */
export const MAX_SLOT = 2 ** (31 - FLAG_BITS) - 1;

/** A gradient hook on a Value: sees the gradient arriving at its node; a returned number replaces it. */
export type GradHook = (grad: number) => number | void;

/** A hook of either node kind, as the pass stores and calls it. @internal */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyHook = (grad: any) => unknown;

/** Rarely used per-node data. @internal */
export interface NodeExtras {
  label: string;
  hooks: AnyHook[] | null;
  /** A Value's gradient with its own graph, kept by `backward(g, { createGraph: true })`. */
  gradValue: GraphNode | null;
  /** Where the op that made this node was called, recorded under `detectAnomaly`. */
  createdAt: string | null;
  /** A non-leaf tensor that keeps its `.grad` (`retainGrad()`). */
  retainsGrad: boolean;
}

/** The node's side object, allocated on first use. @internal */
export function extrasOf(node: GraphNode): NodeExtras {
  if (node._extras === null)
    node._extras = { label: '', hooks: null, gradValue: null, createdAt: null, retainsGrad: false };
  return node._extras;
}

/** Adds `hook` to `value` (copy on write, so a pass under way keeps its list); returns a remover. @internal */
export function addHook(node: GraphNode, hook: AnyHook, kind: 'Value' | 'Tensor'): () => void {
  const returns = kind === 'Value' ? 'number' : 'Tensor';
  if (typeof hook !== 'function') {
    throw new TypeError(
      `registerHook(hook): expected a function (grad) => ${returns} | void, got ${describeForError(hook)}.`,
    );
  }
  if ((node._state & Flag.RequiresGrad) === 0) {
    throw new Error(
      `registerHook(): this ${kind} does not require grad, so no gradient will ever reach the hook. ` +
        'Register hooks on values that require grad (unfreeze a leaf with requiresGrad_()).',
    );
  }
  const extras = extrasOf(node);
  extras.hooks = extras.hooks === null ? [hook] : [...extras.hooks, hook];
  let removed = false;
  return () => {
    if (removed) return;
    removed = true;
    const remaining = (extras.hooks ?? []).filter((h) => h !== hook);
    extras.hooks = remaining.length === 0 ? null : remaining;
  };
}

/**
 * `detach_()` for any node kind: drops its parents and rule and makes it a leaf that needs no
 * grad, so every graph through it is cut there. Refused during a pass over it. @internal
 */
export function cutInPlace(node: GraphNode, kind: 'Value' | 'Tensor'): void {
  assertNotInPass(node, kind, 'detach_()');
  node._a = null;
  node._rest = null;
  node._rule = null;
  node._state = (node._state & ~Flag.RequiresGrad) | Flag.DetachedInPlace;
}

/** `requiresGrad_(flag)` for any node kind: freezes or unfreezes a leaf; a non-leaf is refused. @internal */
export function setLeafRequiresGrad(node: GraphNode, flag: unknown, kind: 'Value' | 'Tensor'): void {
  if (typeof flag !== 'boolean')
    throw new TypeError(`requiresGrad_(flag): expected a boolean, got ${describeForError(flag)}.`);
  if (node._rule !== null) {
    throw new Error(
      `requiresGrad_(${flag}): only leaves can be frozen or unfrozen, and this ${kind} was produced by '${node._rule.name}'. ` +
        `Use ${kind.toLowerCase()}.detach() for a frozen copy, or ${kind.toLowerCase()}.detach_() to cut it in place.`,
    );
  }
  assertNotInPass(node, kind, 'requiresGrad_()');
  if (flag) node._state = (node._state | Flag.RequiresGrad) & ~Flag.Frozen;
  else if ((node._state & Flag.RequiresGrad) !== 0) node._state = (node._state & ~Flag.RequiresGrad) | Flag.Frozen;
}

/** Refuses to change a node that a backward pass under way has ordered (from a hook). @internal */
export function assertNotInPass(node: GraphNode, kind: 'Value' | 'Tensor', what: string): void {
  if (node._state >> FLAG_BITS !== NO_SLOT) {
    throw new Error(
      `${what}: this ${kind} is part of a backward pass under way (called from a hook?). Change the graph after backward() returns.`,
    );
  }
}

/**
 * Whether `node` is a scalar node (its gradient is a number in a numeric pass): one made by a
 * scalar rule, or a scalar leaf. A scalar leaf's `data` is an own number field; a tensor's is
 * an accessor, which is not called (on wasm it would move the tensor out of wasm memory).
 */
export function isScalarNode(node: GraphNode): boolean {
  return node._rule !== null ? node._rule.backward !== undefined : ownNumber(node, 'data') !== undefined;
}

/** `node[key]` if it is an own number field (never calls an accessor), else undefined. */
export function ownNumber(node: object, key: string): number | undefined {
  if (!Object.prototype.hasOwnProperty.call(node, key)) return undefined;
  const value: unknown = (node as Record<string, unknown>)[key];
  return typeof value === 'number' ? value : undefined;
}
