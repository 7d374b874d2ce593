// Optimiser updates over contiguous float32 parameters (byte pointers), PyTorch's formulas,
// four lanes at a time; the tail uses the same f32 operations in the same order.

/**
 * SGD: d = g + wd*p; with momentum, buf = first ? d : momentum*buf + (1-dampening)*d and
 * d = nesterov ? d + momentum*buf : buf; then p -= lr*d.
 */
export function sgd(p: usize, g: usize, buf: usize, n: i32, lr: f32, momentum: f32, dampening: f32, wd: f32, nesterov: bool, first: bool): void {
  const damp: f32 = 1 - dampening;
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
 * Adam / AdamW: (AdamW) p *= 1 - lr*wd, (Adam) g += wd*p; m = b1*m + (1-b1)*g;
 * v = b2*v + (1-b2)*g*g; p -= stepSize * m / (sqrt(v) / bc2Sqrt + eps), where the caller passes
 * stepSize = lr / (1 - b1^t) and bc2Sqrt = sqrt(1 - b2^t).
 */
export function adam(p: usize, g: usize, m: usize, v: usize, n: i32, lr: f32, b1: f32, b2: f32, eps: f32, wd: f32, stepSize: f32, bc2Sqrt: f32, decoupled: bool): void {
  const c1: f32 = 1 - b1, c2: f32 = 1 - b2, decay: f32 = 1 - lr * wd;
  const vb1 = f32x4.splat(b1), vb2 = f32x4.splat(b2), vc1 = f32x4.splat(c1), vc2 = f32x4.splat(c2);
  const vwd = f32x4.splat(wd), vdecay = f32x4.splat(decay), vstep = f32x4.splat(stepSize);
  const vbc = f32x4.splat(bc2Sqrt), veps = f32x4.splat(eps);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    let pv = v128.load(p + o);
    let gv = v128.load(g + o);
    if (wd != 0) {
      if (decoupled) pv = f32x4.mul(pv, vdecay);
      else gv = f32x4.add(gv, f32x4.mul(vwd, pv));
    }
    const mv = f32x4.add(f32x4.mul(vb1, v128.load(m + o)), f32x4.mul(vc1, gv));
    const vv = f32x4.add(f32x4.mul(vb2, v128.load(v + o)), f32x4.mul(vc2, f32x4.mul(gv, gv)));
    v128.store(m + o, mv);
    v128.store(v + o, vv);
    const denom = f32x4.add(f32x4.div(f32x4.sqrt(vv), vbc), veps);
    v128.store(p + o, f32x4.sub(pv, f32x4.mul(vstep, f32x4.div(mv, denom))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    let pv = load<f32>(p + o);
    let gv = load<f32>(g + o);
    if (wd != 0) {
      if (decoupled) pv = pv * decay;
      else gv = gv + wd * pv;
    }
    const mv: f32 = b1 * load<f32>(m + o) + c1 * gv;
    const vv: f32 = b2 * load<f32>(v + o) + c2 * (gv * gv);
    store<f32>(m + o, mv);
    store<f32>(v + o, vv);
    const denom: f32 = Mathf.sqrt(vv) / bc2Sqrt + eps;
    store<f32>(p + o, pv - stepSize * (mv / denom));
  }
}
