/**
 * A node's rarely used data (label, hooks, graph-carrying gradient, creation site), kept in a
 * side object that most nodes never allocate, so that every node stays small.
 * @internal
 */
import { describeForError } from './errors';
import type { Value } from './value';

/** A gradient hook: sees the gradient arriving at its node; a returned number replaces it. */
export type GradHook = (grad: number) => number | void;

/** Rarely used per-node data. @internal */
export interface NodeExtras {
  label: string;
  hooks: GradHook[] | null;
  /** The gradient as a Value with its own graph, kept by `backward(g, { createGraph: true })`. */
  gradValue: Value | null;
  /** Where the op that made this node was called, recorded under `detectAnomaly`. */
  createdAt: string | null;
}

/** The node's side object, allocated on first use. @internal */
export function extrasOf(value: Value): NodeExtras {
  if (value._extras === null) value._extras = { label: '', hooks: null, gradValue: null, createdAt: null };
  return value._extras;
}

/** Adds `hook` to `value` (copy on write, so a pass under way keeps its list); returns a remover. @internal */
export function addHook(value: Value, hook: GradHook): () => void {
  if (typeof hook !== 'function') {
    throw new TypeError(`registerHook(hook): expected a function (grad) => number | void, got ${describeForError(hook)}.`);
  }
  if (!value.requiresGrad) {
    throw new Error(
      'registerHook(): this Value does not require grad, so no gradient will ever reach the hook. ' +
        'Register hooks on values that require grad (unfreeze a leaf with requiresGrad_()).',
    );
  }
  const extras = extrasOf(value);
  extras.hooks = extras.hooks === null ? [hook] : [...extras.hooks, hook];
  let removed = false;
  return () => {
    if (removed) return;
    removed = true;
    const remaining = (extras.hooks ?? []).filter((h) => h !== hook);
    extras.hooks = remaining.length === 0 ? null : remaining;
  };
}
