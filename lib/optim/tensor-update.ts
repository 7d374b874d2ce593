/**
 * The optimisers' updates of one Tensor parameter, in place, element by element, in the order
 * of PyTorch's single-tensor (`foreach=False`) CPU implementation. For a float32 parameter every
 * intermediate result is rounded to float32 (`Math.fround`) and every scalar hyper-parameter is
 * cast to float32 first, as PyTorch's kernels do (lerp's multiply-add is fused, as PyTorch's
 * compiled kernel is), so a step matches PyTorch's bit for bit in the ordinary case (at worst
 * to float32 rounding). Each update bumps the storage version, so
 * a graph that saved the old values refuses to run backward.
 */
import type { TypedArray } from '../backends/backend';
import { wasmHolding } from '../tensor/backend-choice';
import type { Tensor } from '../tensor/tensor';

/** The gradient's elements if `p` takes part in a step (requires grad, has a grad), else null. @internal */
export function liveGrad(p: Tensor): TypedArray | null {
  // `_grad`, not the `grad` getter: reading it here does not make the gradient visible to user
  // code, so zeroGrad() can still free its buffer (tensor/grad-slot.ts).
  if (!p.requiresGrad || p._grad === null) return null;
  return p._grad._data;
}

/** A zero-filled buffer for per-element optimiser state of `p` (same dtype). @internal */
export function stateBuffer(p: Tensor): TypedArray {
  return p.dtype === 'float32' ? new Float32Array(p.size) : new Float64Array(p.size);
}

/** SGD's hyper-parameters as one step reads them. @internal */
export interface SgdStep {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
}

/**
 * One SGD step of `p` (whose grad is `g`): `d = g + wd*p`; with momentum, `buf = d` (`first`)
 * or `buf = momentum*buf + (1 - dampening)*d`, and `d = nesterov ? d + momentum*buf : buf`;
 * then `p += -lr*d`. @internal
 */
export function sgdTensor(p: Tensor, g: TypedArray, buf: TypedArray | null, first: boolean, o: SgdStep): void {
  // The rounding of p's dtype (Number is the identity on numbers). Both are builtins V8 inlines;
  // with a JavaScript identity function, or chosen through a helper, the loops ran ten times slower.
  const r = p.dtype === 'float64' ? Number : Math.fround;
  const [wd, momentum, damp, negLr] = [r(o.weightDecay), r(o.momentum), r(1 - o.dampening), r(-o.lr)];
  const w = p._data;
  for (let i = 0; i < w.length; i++) {
    let d = g[i];
    if (wd !== 0) d = r(d + r(wd * w[i]));
    if (buf !== null) {
      const b = first ? d : r(r(buf[i] * momentum) + r(damp * d));
      buf[i] = b;
      d = o.nesterov ? r(d + r(momentum * b)) : b;
    }
    w[i] = r(w[i] + r(negLr * d));
  }
  p._storage.version++;
}

/**
 * `sgdTensor` without momentum through the wasm kernel, when the parameter and its gradient are
 * in the engine's wasm memory (the same float32 operations in the same order, so the same bits);
 * returns false (nothing done) otherwise. @internal
 */
export function sgdInWasm(p: Tensor, g: TypedArray, o: SgdStep): boolean {
  if (o.momentum !== 0) return false;
  const w = p._data;
  const wasm = wasmHolding(w);
  if (wasm === null || !wasm.holds(g)) return false;
  wasm.sgd(w, g, null, { lr: o.lr, weightDecay: o.weightDecay });
  p._storage.version++;
  return true;
}

/** Adam's hyper-parameters and the step number t (1-based) as one step reads them. @internal */
export interface AdamStep {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  step: number;
  decoupled: boolean;
}

/**
 * One Adam (or AdamW) step of `p`: (AdamW) `p *= 1 - lr*wd`, (Adam) `g += wd*p`;
 * `m = lerp(m, g, 1 - b1)`, `v = v*b2 + (1 - b2)*g*g`,
 * `p += -(lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)`. @internal
 */
export function adamTensor(p: Tensor, g: TypedArray, m: TypedArray, v: TypedArray, o: AdamStep): void {
  // The rounding of p's dtype (Number is the identity on numbers). Both are builtins V8 inlines;
  // with a JavaScript identity function, or chosen through a helper, the loops ran ten times slower.
  const r = p.dtype === 'float64' ? Number : Math.fround;
  const [beta1, beta2] = o.betas;
  const stepSize = o.lr / (1 - beta1 ** o.step);
  const bc2Sqrt = r(Math.sqrt(1 - beta2 ** o.step));
  const [wd, decay, weight, b2, c2, eps, negStep] = [
    r(o.weightDecay),
    r(1 - o.lr * o.weightDecay),
    r(1 - beta1),
    r(beta2),
    r(1 - beta2),
    r(o.eps),
    r(-stepSize),
  ];
  const lerpLow = weight < 0.5;
  const oneMinusWeight = r(1 - weight);
  const w = p._data;
  for (let i = 0; i < w.length; i++) {
    let gi = g[i];
    if (o.weightDecay !== 0) {
      if (o.decoupled) w[i] = r(w[i] * decay);
      else gi = r(gi + r(wd * w[i]));
    }
    const mi = m[i];
    const diff = r(gi - mi);
    // PyTorch's compiled lerp fuses the multiply-add (one rounding); a float32 product is exact in float64.
    m[i] = lerpLow ? r(mi + weight * diff) : r(gi - diff * oneMinusWeight);
    v[i] = r(r(v[i] * b2) + r(r(c2 * gi) * gi));
    const denom = r(r(r(Math.sqrt(v[i])) / bc2Sqrt) + eps);
    w[i] = r(w[i] + r(r(negStep * m[i]) / denom));
  }
  p._storage.version++;
}
