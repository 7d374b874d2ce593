/**
 * Op codes the WebAssembly kernels take (see assembly/unary.ts, binary.ts, reduce.ts).
 * @internal
 */
import type { BinaryOp, ReduceOp, UnaryOp } from '../backend';

export const UNARY_CODES: Readonly<Record<UnaryOp, number>> = {
  neg: 0,
  exp: 1,
  log: 2,
  log1p: 3,
  sqrt: 4,
  abs: 5,
  sign: 6,
  tanh: 7,
  sigmoid: 8,
  relu: 9,
  sin: 10,
  cos: 11,
  square: 12,
  reciprocal: 13,
  softplus: 14,
  step: 15,
};

export const BINARY_CODES: Readonly<Record<BinaryOp, number>> = {
  add: 0,
  sub: 1,
  mul: 2,
  div: 3,
  pow: 4,
  maximum: 5,
  minimum: 6,
  gt: 7,
  ge: 8,
  lt: 9,
  le: 10,
  eq: 11,
};

export const REDUCE_CODES: Readonly<Record<ReduceOp, number>> = { sum: 0, max: 1, min: 2 };

/**
 * Drops axes of length 1 and merges neighbouring axes that every operand walks contiguously
 * (stride[i] == stride[i+1] * shape[i+1]), so the kernels run long inner rows. Returns at least
 * one axis.
 * @example
 * mergeAxes([2, 3], [[3, 1], [0, 0]]) // { shape: [6], strides: [[1], [0]] }
 */
export function mergeAxes(
  shape: readonly number[],
  strides: readonly (readonly number[])[],
): { shape: number[]; strides: number[][] } {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const last = outShape.length - 1;
    if (last >= 0 && strides.every((s, i) => outStrides[i][last] === s[d] * shape[d])) {
      outShape[last] *= shape[d];
      strides.forEach((s, i) => {
        outStrides[i][last] = s[d];
      });
    } else {
      outShape.push(shape[d]);
      strides.forEach((s, i) => outStrides[i].push(s[d]));
    }
  }
  if (outShape.length === 0) {
    outShape.push(1);
    outStrides.forEach((s) => s.push(0));
  }
  return { shape: outShape, strides: outStrides };
}
