/** Plain-TypeScript reductions along the middle axis of x viewed as [outer, size, inner]. */
import type { ReduceOp, TypedArray } from '../backend';

/** out[o, i] = op over s of x[o, s, i]; sums in index order; max/min propagate NaN. */
export function reduce(op: ReduceOp, x: TypedArray, outer: number, size: number, inner: number, out: TypedArray): void {
  for (let o = 0; o < outer; o++) {
    const base = o * size * inner;
    for (let i = 0; i < inner; i++) {
      let p = base + i;
      if (op === 'sum') {
        let acc = 0;
        for (let s = 0; s < size; s++, p += inner) acc += x[p];
        out[o * inner + i] = acc;
      } else {
        let acc = op === 'max' ? -Infinity : Infinity;
        for (let s = 0; s < size; s++, p += inner) {
          const v = x[p];
          if (v !== v) {
            acc = NaN;
            break;
          }
          if (op === 'max' ? v > acc : v < acc) acc = v;
        }
        out[o * inner + i] = acc;
      }
    }
  }
}

/** Index of the first max/min along the middle axis (a NaN wins at its first position). */
export function argReduce(
  op: 'max' | 'min',
  x: TypedArray,
  outer: number,
  size: number,
  inner: number,
  out: TypedArray,
): void {
  for (let o = 0; o < outer; o++) {
    const base = o * size * inner;
    for (let i = 0; i < inner; i++) {
      let best = 0;
      let bestValue = x[base + i];
      for (let s = 1; s < size && bestValue === bestValue; s++) {
        const v = x[base + s * inner + i];
        if (v !== v || (op === 'max' ? v > bestValue : v < bestValue)) {
          best = s;
          bestValue = v;
        }
      }
      out[o * inner + i] = best;
    }
  }
}
