/**
 * Bits of a node's `_flags`: why gradient does or does not flow through it. Kept as bits in
 * one small integer so that every node stays one compact object.
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
} as const;
