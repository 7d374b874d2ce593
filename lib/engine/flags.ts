/**
 * Bits of a node's `_flags`: why gradient does or does not flow through it. They share one
 * small integer (`_state`) with the node's slot in a backward pass, so that every node stays
 * one compact object.
 * @internal
 */
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
