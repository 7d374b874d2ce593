// Elementwise kernels of two or three broadcast arguments, and strided copies.
// Shapes and strides (in elements, 0 = broadcast) arrive as i32 arrays at `params`:
// shape[ndim], then one stride array per operand, then ndim i32 of scratch for counters.
// The innermost axis runs as a row: v128 when its strides are 1 or 0, scalar otherwise.
// Op codes follow BINARY_OPS in ../ops.ts.

// @ts-ignore: decorator
@inline function binaryV(op: i32, a: v128, b: v128): v128 {
  const one = f32x4.splat(1);
  switch (op) {
    case 0: return f32x4.add(a, b);
    case 1: return f32x4.sub(a, b);
    case 2: return f32x4.mul(a, b);
    case 3: return f32x4.div(a, b);
    case 5: return f32x4.max(a, b);
    case 6: return f32x4.min(a, b);
    case 7: return v128.and(f32x4.gt(a, b), one);
    case 8: return v128.and(f32x4.ge(a, b), one);
    case 9: return v128.and(f32x4.lt(a, b), one);
    case 10: return v128.and(f32x4.le(a, b), one);
    default: return v128.and(f32x4.eq(a, b), one);
  }
}

// @ts-ignore: decorator
@inline function binaryS(op: i32, a: f32, b: f32): f32 {
  switch (op) {
    case 0: return a + b;
    case 1: return a - b;
    case 2: return a * b;
    case 3: return a / b;
    case 4: return <f32>Math.pow(<f64>a, <f64>b);
    case 5: return max<f32>(a, b);
    case 6: return min<f32>(a, b);
    case 7: return a > b ? 1 : 0;
    case 8: return a >= b ? 1 : 0;
    case 9: return a < b ? 1 : 0;
    case 10: return a <= b ? 1 : 0;
    default: return a == b ? 1 : 0;
  }
}

// @ts-ignore: decorator
@inline function binaryRow(op: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, n: i32): void {
  let i = 0;
  if (op != 4) {
    if (sa == 1 && sb == 1) {
      for (; i + 16 <= n; i += 16) {
        const o = <usize>i << 2;
        const pa = a + o, pb = b + o, po = out + o;
        v128.store(po, binaryV(op, v128.load(pa), v128.load(pb)));
        v128.store(po, binaryV(op, v128.load(pa, 16), v128.load(pb, 16)), 16);
        v128.store(po, binaryV(op, v128.load(pa, 32), v128.load(pb, 32)), 32);
        v128.store(po, binaryV(op, v128.load(pa, 48), v128.load(pb, 48)), 48);
      }
      for (; i + 4 <= n; i += 4) {
        const o = <usize>i << 2;
        v128.store(out + o, binaryV(op, v128.load(a + o), v128.load(b + o)));
      }
    } else if (sa == 1 && sb == 0) {
      const vb = v128.load32_splat(b);
      for (; i + 4 <= n; i += 4) {
        const o = <usize>i << 2;
        v128.store(out + o, binaryV(op, v128.load(a + o), vb));
      }
    } else if (sa == 0 && sb == 1) {
      const va = v128.load32_splat(a);
      for (; i + 4 <= n; i += 4) {
        const o = <usize>i << 2;
        v128.store(out + o, binaryV(op, va, v128.load(b + o)));
      }
    }
  }
  const ba = <usize>sa << 2;
  const bb = <usize>sb << 2;
  for (; i < n; i++) {
    store<f32>(out + (<usize>i << 2), binaryS(op, load<f32>(a + <usize>i * ba), load<f32>(b + <usize>i * bb)));
  }
}

// @ts-ignore: decorator
@inline function binaryLoop(op: i32, a: usize, b: usize, out: usize, ndim: i32, params: usize): void {
  const last = ndim - 1;
  const shape = params;
  const aStr = params + (<usize>ndim << 2);
  const bStr = aStr + (<usize>ndim << 2);
  const count = bStr + (<usize>ndim << 2);
  const n = load<i32>(shape + (<usize>last << 2));
  const sa = load<i32>(aStr + (<usize>last << 2));
  const sb = load<i32>(bStr + (<usize>last << 2));
  let rows = 1;
  for (let d = 0; d < last; d++) {
    rows *= load<i32>(shape + (<usize>d << 2));
    store<i32>(count + (<usize>d << 2), 0);
  }
  let ao: i32 = 0, bo: i32 = 0;
  let dst = out;
  for (let r = 0; r < rows; r++) {
    binaryRow(op, a + (<usize>ao << 2), sa, b + (<usize>bo << 2), sb, dst, n);
    dst += <usize>n << 2;
    // Advance the multi-index over the outer axes.
    for (let d = last - 1; d >= 0; d--) {
      const cp = count + (<usize>d << 2);
      const c = load<i32>(cp) + 1;
      const da = load<i32>(aStr + (<usize>d << 2));
      const db = load<i32>(bStr + (<usize>d << 2));
      if (c < load<i32>(shape + (<usize>d << 2))) {
        store<i32>(cp, c);
        ao += da;
        bo += db;
        break;
      }
      store<i32>(cp, 0);
      ao -= da * (c - 1);
      bo -= db * (c - 1);
    }
  }
}

/** out[index] = f(a[index . aStrides], b[index . bStrides]) over the shape at `params`. */
export function binary(op: i32, a: usize, b: usize, out: usize, ndim: i32, params: usize): void {
  switch (op) {
    case 0: binaryLoop(0, a, b, out, ndim, params); break;
    case 1: binaryLoop(1, a, b, out, ndim, params); break;
    case 2: binaryLoop(2, a, b, out, ndim, params); break;
    case 3: binaryLoop(3, a, b, out, ndim, params); break;
    case 4: binaryLoop(4, a, b, out, ndim, params); break;
    case 5: binaryLoop(5, a, b, out, ndim, params); break;
    case 6: binaryLoop(6, a, b, out, ndim, params); break;
    case 7: binaryLoop(7, a, b, out, ndim, params); break;
    case 8: binaryLoop(8, a, b, out, ndim, params); break;
    case 9: binaryLoop(9, a, b, out, ndim, params); break;
    case 10: binaryLoop(10, a, b, out, ndim, params); break;
    default: binaryLoop(11, a, b, out, ndim, params); break;
  }
}

/** out[index] = cond[.] != 0 ? a[.] : b[.]; params: shape, cond, a and b strides, scratch. */
export function where(cond: usize, a: usize, b: usize, out: usize, ndim: i32, params: usize): void {
  const last = ndim - 1;
  const shape = params;
  const cStr = params + (<usize>ndim << 2);
  const aStr = cStr + (<usize>ndim << 2);
  const bStr = aStr + (<usize>ndim << 2);
  const count = bStr + (<usize>ndim << 2);
  const n = load<i32>(shape + (<usize>last << 2));
  const sc = <usize>load<i32>(cStr + (<usize>last << 2)) << 2;
  const sa = <usize>load<i32>(aStr + (<usize>last << 2)) << 2;
  const sb = <usize>load<i32>(bStr + (<usize>last << 2)) << 2;
  let rows = 1;
  for (let d = 0; d < last; d++) {
    rows *= load<i32>(shape + (<usize>d << 2));
    store<i32>(count + (<usize>d << 2), 0);
  }
  let co: i32 = 0, ao: i32 = 0, bo: i32 = 0;
  let dst = out;
  for (let r = 0; r < rows; r++) {
    const pc = cond + (<usize>co << 2), pa = a + (<usize>ao << 2), pb = b + (<usize>bo << 2);
    let i = 0;
    if (sc == 4 && sa == 4 && sb == 4) {
      const zero = f32x4.splat(0);
      for (; i + 4 <= n; i += 4) {
        const o = <usize>i << 2;
        v128.store(dst + o, v128.bitselect(v128.load(pa + o), v128.load(pb + o), f32x4.ne(v128.load(pc + o), zero)));
      }
    }
    for (; i < n; i++) {
      const c = load<f32>(pc + <usize>i * sc);
      store<f32>(dst + (<usize>i << 2), c != 0 ? load<f32>(pa + <usize>i * sa) : load<f32>(pb + <usize>i * sb));
    }
    dst += <usize>n << 2;
    for (let d = last - 1; d >= 0; d--) {
      const cp = count + (<usize>d << 2);
      const k = load<i32>(cp) + 1;
      const dc = load<i32>(cStr + (<usize>d << 2));
      const da = load<i32>(aStr + (<usize>d << 2));
      const db = load<i32>(bStr + (<usize>d << 2));
      if (k < load<i32>(shape + (<usize>d << 2))) {
        store<i32>(cp, k);
        co += dc; ao += da; bo += db;
        break;
      }
      store<i32>(cp, 0);
      co -= dc * (k - 1); ao -= da * (k - 1); bo -= db * (k - 1);
    }
  }
}

/** out[index] = x[index . strides] over the shape at `params` (x already offset). */
export function copyStrided(x: usize, out: usize, ndim: i32, params: usize): void {
  const last = ndim - 1;
  const shape = params;
  const str = params + (<usize>ndim << 2);
  const count = str + (<usize>ndim << 2);
  const n = load<i32>(shape + (<usize>last << 2));
  const s = load<i32>(str + (<usize>last << 2));
  const sBytes = <usize>s << 2;
  let rows = 1;
  for (let d = 0; d < last; d++) {
    rows *= load<i32>(shape + (<usize>d << 2));
    store<i32>(count + (<usize>d << 2), 0);
  }
  let xo: i32 = 0;
  let dst = out;
  for (let r = 0; r < rows; r++) {
    const src = x + (<usize>xo << 2);
    if (s == 1) {
      memory.copy(dst, src, <usize>n << 2);
    } else if (s == 0) {
      const v = load<f32>(src);
      for (let i = 0; i < n; i++) store<f32>(dst + (<usize>i << 2), v);
    } else {
      for (let i = 0; i < n; i++) store<f32>(dst + (<usize>i << 2), load<f32>(src + <usize>i * sBytes));
    }
    dst += <usize>n << 2;
    for (let d = last - 1; d >= 0; d--) {
      const cp = count + (<usize>d << 2);
      const k = load<i32>(cp) + 1;
      const dx = load<i32>(str + (<usize>d << 2));
      if (k < load<i32>(shape + (<usize>d << 2))) {
        store<i32>(cp, k);
        xo += dx;
        break;
      }
      store<i32>(cp, 0);
      xo -= dx * (k - 1);
    }
  }
}
