// Optimiser updates over contiguous float32 parameters (byte pointers), PyTorch's formulas,
// four lanes at a time; the tail uses the same f32 operations in the same order.

/**
 * SGD: d = g + wd*p; with momentum, buf = first ? d : momentum*buf + damp*d and
 * d = nesterov ? d + momentum*buf : buf; then p -= lr*d. The caller passes damp = 1 - dampening
 * rounded once to f32, as the JS loop computes it.
 */
export function sgd(p: usize, g: usize, buf: usize, n: i32, lr: f32, momentum: f32, damp: f32, wd: f32, nesterov: bool, first: bool): void {
  const vlr = f32x4.splat(lr), vm = f32x4.splat(momentum), vd = f32x4.splat(damp), vwd = f32x4.splat(wd);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const pv = v128.load(p + o);
    let d = v128.load(g + o);
    if (wd != 0) d = f32x4.add(d, f32x4.mul(vwd, pv));
    if (momentum != 0) {
      let b = first ? d : f32x4.add(f32x4.mul(vm, v128.load(buf + o)), f32x4.mul(vd, d));
      v128.store(buf + o, b);
      d = nesterov ? f32x4.add(d, f32x4.mul(vm, b)) : b;
    }
    v128.store(p + o, f32x4.sub(pv, f32x4.mul(vlr, d)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const pv = load<f32>(p + o);
    let d = load<f32>(g + o);
    if (wd != 0) d = d + wd * pv;
    if (momentum != 0) {
      const b: f32 = first ? d : momentum * load<f32>(buf + o) + damp * d;
      store<f32>(buf + o, b);
      d = nesterov ? d + momentum * b : b;
    }
    store<f32>(p + o, pv - lr * d);
  }
}

/**
 * Adam / AdamW as PyTorch's single-tensor CPU kernel computes it, and as the engine's JS loop
 * (lib/optim/tensor-update.ts adamTensor) does, bit for bit: every step rounded to float32, the
 * moment's lerp with its multiply-add fused (in f64, where a product of two f32 is exact):
 *   (wd) AdamW p = p*decay, Adam g = g + wd*p;  diff = g - m;
 *   m = weight < 0.5 ? m + weight*diff : g - diff*(1 - weight);  v = v*b2 + (c2*g)*g;
 *   p = p + (negStep*m) / (sqrt(v)/bc2Sqrt + eps).
 * The caller passes every constant already rounded to f32 (decay = 1 - lr*wd, weight = 1 - b1,
 * c2 = 1 - b2, negStep = -lr / (1 - b1^t), bc2Sqrt = sqrt(1 - b2^t)). `decayMode`: 0 no weight
 * decay, 1 Adam's (L2, into the gradient), 2 AdamW's (decoupled).
 */
export function adam(p: usize, g: usize, m: usize, v: usize, n: i32, wd: f32, decay: f32, weight: f32, b2: f32, c2: f32, eps: f32, negStep: f32, bc2Sqrt: f32, decayMode: i32): void {
  const lerpLow = weight < 0.5;
  const w64 = <f64>weight, rest64 = <f64>(<f32>(1 - weight));
  // Four lanes at a time; the lerp in two f64x2 halves. Every lane does the scalar tail's operations.
  const vwd = f32x4.splat(wd), vdecay = f32x4.splat(decay), vb2 = f32x4.splat(b2), vc2 = f32x4.splat(c2);
  const veps = f32x4.splat(eps), vneg = f32x4.splat(negStep), vbc = f32x4.splat(bc2Sqrt);
  const vlerp = f64x2.splat(lerpLow ? w64 : rest64);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    let pv = v128.load(p + o);
    let gv = v128.load(g + o);
    if (decayMode == 2) pv = f32x4.mul(pv, vdecay);
    else if (decayMode == 1) gv = f32x4.add(gv, f32x4.mul(vwd, pv));
    const mv = v128.load(m + o);
    const diff = f32x4.sub(gv, mv);
    const base = lerpLow ? mv : gv;
    const lo = f64x2.promote_low_f32x4(base), hi = f64x2.promote_low_f32x4(v128.shuffle<f32>(base, base, 2, 3, 0, 1));
    const dlo = f64x2.promote_low_f32x4(diff), dhi = f64x2.promote_low_f32x4(v128.shuffle<f32>(diff, diff, 2, 3, 0, 1));
    const rlo = lerpLow ? f64x2.add(lo, f64x2.mul(vlerp, dlo)) : f64x2.sub(lo, f64x2.mul(dlo, vlerp));
    const rhi = lerpLow ? f64x2.add(hi, f64x2.mul(vlerp, dhi)) : f64x2.sub(hi, f64x2.mul(dhi, vlerp));
    const mNew = v128.shuffle<f32>(f32x4.demote_f64x2_zero(rlo), f32x4.demote_f64x2_zero(rhi), 0, 1, 4, 5);
    const vNew = f32x4.add(f32x4.mul(v128.load(v + o), vb2), f32x4.mul(f32x4.mul(vc2, gv), gv));
    v128.store(m + o, mNew);
    v128.store(v + o, vNew);
    const denom = f32x4.add(f32x4.div(f32x4.sqrt(vNew), vbc), veps);
    v128.store(p + o, f32x4.add(pv, f32x4.div(f32x4.mul(vneg, mNew), denom)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    let pv = load<f32>(p + o);
    let gv = load<f32>(g + o);
    if (decayMode == 2) pv = pv * decay;
    else if (decayMode == 1) gv = gv + wd * pv;
    const mv = load<f32>(m + o);
    const diff: f32 = gv - mv;
    const mNew = lerpLow ? <f32>(<f64>mv + w64 * <f64>diff) : <f32>(<f64>gv - <f64>diff * rest64);
    const vNew: f32 = load<f32>(v + o) * b2 + (c2 * gv) * gv;
    store<f32>(m + o, mNew);
    store<f32>(v + o, vNew);
    const denom: f32 = Mathf.sqrt(vNew) / bc2Sqrt + eps;
    store<f32>(p + o, pv + (negStep * mNew) / denom);
  }
}
