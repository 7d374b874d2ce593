// Reductions of the middle axis of x viewed as [outer, size, inner] (float32, byte pointers).
// Sums run in index order in f32 (the straightforward loop, bit for bit); max/min propagate
// NaN. Op codes: 0 sum, 1 max, 2 min.

// @ts-ignore: decorator
@inline function combineV(op: i32, a: v128, b: v128): v128 {
  return op == 0 ? f32x4.add(a, b) : op == 1 ? f32x4.max(a, b) : f32x4.min(a, b);
}

// @ts-ignore: decorator
@inline function combineS(op: i32, a: f32, b: f32): f32 {
  return op == 0 ? a + b : op == 1 ? max<f32>(a, b) : min<f32>(a, b);
}

// @ts-ignore: decorator
@inline function reduceLoop(op: i32, x: usize, out: usize, outer: i32, size: i32, inner: i32): void {
  const init: f32 = op == 0 ? 0 : op == 1 ? -Infinity : Infinity;
  if (inner == 1) {
    for (let o = 0; o < outer; o++) {
      const row = x + ((<usize>o * size) << 2);
      let acc = init;
      let s = 0;
      if (op != 0 && size >= 8) {
        // max/min do not depend on order: four lanes, then the lanes and the tail.
        let v = v128.load(row);
        for (s = 4; s + 4 <= size; s += 4) v = combineV(op, v, v128.load(row + (<usize>s << 2)));
        acc = combineS(op, combineS(op, f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)), combineS(op, f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
      }
      for (; s < size; s++) acc = combineS(op, acc, load<f32>(row + (<usize>s << 2)));
      store<f32>(out + (<usize>o << 2), acc);
    }
    return;
  }
  const vinit = f32x4.splat(init);
  const rowBytes = <usize>inner << 2;
  for (let o = 0; o < outer; o++) {
    const dst = out + ((<usize>o * inner) << 2);
    const src0 = x + ((<usize>o * size * inner) << 2);
    let i = 0;
    for (; i + 4 <= inner; i += 4) {
      let src = src0 + (<usize>i << 2);
      let v = vinit;
      for (let s = 0; s < size; s++) {
        v = combineV(op, v, v128.load(src));
        src += rowBytes;
      }
      v128.store(dst + (<usize>i << 2), v);
    }
    for (; i < inner; i++) {
      let src = src0 + (<usize>i << 2);
      let acc = init;
      for (let s = 0; s < size; s++) {
        acc = combineS(op, acc, load<f32>(src));
        src += rowBytes;
      }
      store<f32>(dst + (<usize>i << 2), acc);
    }
  }
}

/** out[o, i] = reduce_s x[o, s, i]. */
export function reduce(op: i32, x: usize, out: usize, outer: i32, size: i32, inner: i32): void {
  if (op == 0) reduceLoop(0, x, out, outer, size, inner);
  else if (op == 1) reduceLoop(1, x, out, outer, size, inner);
  else reduceLoop(2, x, out, outer, size, inner);
}

/** out[o, i] = index of the first max (op 1) or min (op 2) along s; the first NaN wins. */
export function argReduce(op: i32, x: usize, out: usize, outer: i32, size: i32, inner: i32): void {
  const isMax = op == 1;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let src = x + ((<usize>o * size * inner + i) << 2);
      let best = load<f32>(src);
      let at = 0;
      for (let s = 1; s < size && best == best; s++) {
        src += <usize>inner << 2;
        const v = load<f32>(src);
        if (v != v || (isMax ? v > best : v < best)) {
          best = v;
          at = s;
        }
      }
      store<f32>(out + ((<usize>o * inner + i) << 2), <f32>at);
    }
  }
}
