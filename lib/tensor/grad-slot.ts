/**
 * A Tensor's `.grad` slot: how a backward pass adds into it and how `zeroGrad` empties it.
 *
 * A gradient is *private* while no user code can hold it: the pass made its buffer (or a fresh
 * copy), no hook or custom op saw the pass's gradients, and nobody has read `.grad` since
 * (the getter clears the mark). A private gradient is accumulated in place (PyTorch's
 * AccumulateGrad does the same under no grad mode) and its buffer is freed at once by
 * `zeroGrad()`, so a training step on the wasm backend neither allocates a new `.grad` buffer
 * per pass nor leaves the old one to be copied out of wasm memory. Anything the user may still
 * hold keeps today's semantics: a new tensor per accumulation, `zeroGrad` just drops it.
 * @internal
 */
import type { Storage } from '../backends/backend';
import { releaseStorage } from './backend-choice';
import type { Tensor } from './tensor';

/** What the slot needs from a Tensor. */
interface GradHolder {
  /** @internal */ _grad: Tensor | null;
  /** @internal */ _gradPrivate: boolean;
}

/**
 * Adds `grad` (a pass's gradient for `t`) into `t.grad`. `exclusive`: no user code ran during
 * the pass, so a buffer the pass made can have no other holder. @internal
 */
export function accumulateGrad(t: GradHolder, grad: Tensor, exclusive: boolean): void {
  const current = t._grad;
  if (current === null) {
    // A fresh copy the first time, so that in-place changes to .grad never reach a tensor the
    // pass shared; a buffer the pass made and nothing else holds is adopted instead.
    const own = grad.requiresGrad || adopt(grad._storage) ? grad : grad.clone();
    t._grad = own;
    t._gradPrivate = exclusive && !grad.requiresGrad;
    keep(own._storage);
  } else if (t._gradPrivate && !grad.requiresGrad && current.dtype === grad.dtype) {
    current.add_(grad);
  } else {
    const sum = current.add(grad);
    t._grad = sum;
    t._gradPrivate = exclusive && !sum.requiresGrad;
    keep(sum._storage);
  }
}

/** Empties the slot; a private gradient's buffer is freed (nobody else can see it). @internal */
export function clearGrad(t: GradHolder): void {
  const grad = t._grad;
  t._grad = null;
  if (grad !== null && t._gradPrivate) releaseStorage(grad._storage);
  t._gradPrivate = false;
}

/** Whether a storage the current pass allocated can become a .grad (then it is kept). */
function adopt(storage: Storage): boolean {
  const s = storage as Storage & { captured?: boolean };
  if (s.captured !== true) return false;
  s.captured = false;
  return true;
}

/** Marks a storage as kept past the end of the pass that allocated it. */
function keep(storage: Storage): void {
  const s = storage as Storage & { captured?: boolean };
  if (s.captured === true) s.captured = false;
}
