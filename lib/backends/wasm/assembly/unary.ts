// Elementwise kernels of one argument over contiguous float32 (byte-offset pointers).
// Op codes follow UNARY_OPS in ../ops.ts. Ops with a v128 form run four lanes at a time; the
// transcendental ones compute in f64 (Math) and round once to f32, as a JS loop with
// Math.fround would.

// @ts-ignore: decorator
@inline function isVectorOp(op: i32): bool {
  return op == 0 || op == 4 || op == 5 || op == 6 || op == 9 || op == 12 || op == 13 || op == 15;
}

// @ts-ignore: decorator
@inline function unaryV(op: i32, x: v128): v128 {
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  if (op == 0) return f32x4.neg(x);
  if (op == 4) return f32x4.sqrt(x);
  if (op == 5) return f32x4.abs(x);
  if (op == 6) {
    const s = f32x4.sub(v128.and(f32x4.gt(x, zero), one), v128.and(f32x4.lt(x, zero), one));
    return v128.bitselect(x, s, f32x4.ne(x, x));
  }
  if (op == 9) return f32x4.max(x, zero);
  if (op == 12) return f32x4.mul(x, x);
  if (op == 13) return f32x4.div(one, x);
  return v128.and(f32x4.gt(x, zero), one); // 15: step
}

// @ts-ignore: decorator
@inline function unaryS(op: i32, x: f32): f32 {
  const d = <f64>x;
  switch (op) {
    case 0: return -x;
    case 1: return <f32>Math.exp(d);
    case 2: return <f32>Math.log(d);
    case 3: return <f32>Math.log1p(d);
    case 4: return Mathf.sqrt(x);
    case 5: return Mathf.abs(x);
    case 6: return x > 0 ? 1 : x < 0 ? -1 : x != x ? x : 0;
    case 7: return <f32>Math.tanh(d);
    case 8: return <f32>(1 / (1 + Math.exp(-d)));
    case 9: return max<f32>(x, 0);
    case 10: return <f32>Math.sin(d);
    case 11: return <f32>Math.cos(d);
    case 12: return x * x;
    case 13: return <f32>1 / x;
    case 14: return <f32>(max<f64>(d, 0) + Math.log1p(Math.exp(-Math.abs(d))));
    default: return x > 0 ? 1 : 0; // 15: step
  }
}

// @ts-ignore: decorator
@inline function unaryLoop(op: i32, x: usize, out: usize, n: i32): void {
  let i = 0;
  if (isVectorOp(op)) {
    for (; i + 16 <= n; i += 16) {
      const px = x + (<usize>i << 2), po = out + (<usize>i << 2);
      v128.store(po, unaryV(op, v128.load(px)));
      v128.store(po, unaryV(op, v128.load(px, 16)), 16);
      v128.store(po, unaryV(op, v128.load(px, 32)), 32);
      v128.store(po, unaryV(op, v128.load(px, 48)), 48);
    }
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, unaryV(op, v128.load(x + o)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, unaryS(op, load<f32>(x + o)));
  }
}

/** out[i] = f(x[i]) for n elements; out may be x. */
export function unary(op: i32, x: usize, out: usize, n: i32): void {
  switch (op) {
    case 0: unaryLoop(0, x, out, n); break;
    case 1: unaryLoop(1, x, out, n); break;
    case 2: unaryLoop(2, x, out, n); break;
    case 3: unaryLoop(3, x, out, n); break;
    case 4: unaryLoop(4, x, out, n); break;
    case 5: unaryLoop(5, x, out, n); break;
    case 6: unaryLoop(6, x, out, n); break;
    case 7: unaryLoop(7, x, out, n); break;
    case 8: unaryLoop(8, x, out, n); break;
    case 9: unaryLoop(9, x, out, n); break;
    case 10: unaryLoop(10, x, out, n); break;
    case 11: unaryLoop(11, x, out, n); break;
    case 12: unaryLoop(12, x, out, n); break;
    case 13: unaryLoop(13, x, out, n); break;
    case 14: unaryLoop(14, x, out, n); break;
    default: unaryLoop(15, x, out, n); break;
  }
}

/** out[i] = x[i] < 0 ? slope * x[i] : x[i]. */
export function leakyRelu(x: usize, slope: f32, out: usize, n: i32): void {
  const s = f32x4.splat(slope);
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const v = v128.load(x + o);
    v128.store(out + o, v128.bitselect(f32x4.mul(v, s), v, f32x4.lt(v, zero)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(x + o);
    store<f32>(out + o, v < 0 ? slope * v : v);
  }
}

/** out[i] = min(max(x[i], lo), hi); NaN stays NaN. */
export function clamp(x: usize, lo: f32, hi: f32, out: usize, n: i32): void {
  const l = f32x4.splat(lo);
  const h = f32x4.splat(hi);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, f32x4.min(f32x4.max(v128.load(x + o), l), h));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, min<f32>(max<f32>(load<f32>(x + o), lo), hi));
  }
}

/** out[i] = a * x[i] + b (two f32 roundings). */
export function affine(x: usize, a: f32, b: f32, out: usize, n: i32): void {
  const va = f32x4.splat(a);
  const vb = f32x4.splat(b);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, f32x4.add(f32x4.mul(v128.load(x + o), va), vb));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(x + o) * a + b);
  }
}

/** out[i] = value. */
export function fill(out: usize, value: f32, n: i32): void {
  const v = f32x4.splat(value);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), v);
  for (; i < n; i++) store<f32>(out + (<usize>i << 2), value);
}
