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
import type { AdamConstants, WasmBackend } from '../backends/wasm/wasm-backend';

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
 * `sgdTensor` through the wasm kernel, for a float32 parameter whose value and gradient are in
 * the engine's wasm memory (the same float32 operations in the same order, so the same bits);
 * returns false (nothing done) otherwise. @internal
 */
export function sgdInWasm(p: Tensor, buf: TypedArray | null, first: boolean, o: SgdStep): boolean {
  return stepInWasm(p, buf === null ? [] : [buf], (wasm, w, g, [velocity]) =>
    wasm.sgd(w, g, velocity ?? null, { ...o, first }),
  );
}

/**
 * Runs an optimiser kernel on `p` when p is float32 and it and its gradient are in the engine's
 * wasm memory: each `state` buffer (the optimiser's, on the JS heap) is copied into wasm memory
 * for the kernel and back after it. Returns false (nothing done) otherwise.
 */
function stepInWasm(
  p: Tensor,
  state: readonly TypedArray[],
  kernel: (wasm: WasmBackend, w: TypedArray, g: TypedArray, state: Float32Array[]) => void,
): boolean {
  const wasm = p.dtype === 'float32' ? wasmHolding(p._data) : null;
  if (wasm === null) return false;
  const blocks = state.map(() => wasm.empty('float32', p.size));
  // Views after allocating (an allocation may grow the memory).
  const w = p._data,
    g = p._grad!._data;
  const done = wasm.holds(w) && wasm.holds(g);
  if (done) {
    const views = blocks.map((block, i) => {
      const view = block.view() as Float32Array;
      view.set(state[i]);
      return view;
    });
    kernel(wasm, w, g, views);
    views.forEach((view, i) => state[i].set(view));
    p._storage.version++;
  }
  for (const block of blocks) wasm.release(block);
  return done;
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
  const { wd, decay, weight, b2, c2, eps, negStep, bc2Sqrt, decayMode } = adamConstants(o, r);
  const lerpLow = weight < 0.5;
  const oneMinusWeight = r(1 - weight);
  const w = p._data;
  for (let i = 0; i < w.length; i++) {
    let gi = g[i];
    if (decayMode === 2) w[i] = r(w[i] * decay);
    else if (decayMode === 1) gi = r(gi + r(wd * w[i]));
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

/** One Adam step's constants rounded by `r` (Math.fround for float32), for the JS loop and the wasm kernel. @internal */
export function adamConstants(o: AdamStep, r: (x: number) => number): AdamConstants {
  const [beta1, beta2] = o.betas;
  return {
    wd: r(o.weightDecay),
    decay: r(1 - o.lr * o.weightDecay),
    weight: r(1 - beta1),
    b2: r(beta2),
    c2: r(1 - beta2),
    eps: r(o.eps),
    negStep: r(-(o.lr / (1 - beta1 ** o.step))),
    bc2Sqrt: r(Math.sqrt(1 - beta2 ** o.step)),
    decayMode: o.weightDecay === 0 ? 0 : o.decoupled ? 2 : 1,
  };
}

/**
 * `adamTensor` for a float32 parameter whose value and gradient are in the engine's wasm
 * memory, through the wasm kernel (the same float32 operations, so the same bits); returns
 * false (nothing done) otherwise. @internal
 */
export function adamInWasm(p: Tensor, m: TypedArray, v: TypedArray, o: AdamStep): boolean {
  return stepInWasm(p, [m, v], (wasm, w, g, [mw, vw]) => wasm.adam(w, g, mw, vw, adamConstants(o, Math.fround)));
}
