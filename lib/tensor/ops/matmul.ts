/**
 * Matrix products with PyTorch's rules: 1-D·1-D is a dot product, 2-D·2-D a matrix product, a
 * 1-D operand is treated as a row (left) or column (right) vector and that dimension removed,
 * and leading batch dimensions broadcast. Everything reduces to one op on 3-D operands whose
 * rule is two more products with transposes read in place (no copies).
 */
import { needsGrad } from '../../engine/record';
import { currentBackend } from '../backend-choice';
import { checkTensor, reduceTo, resultType, tensorRule } from '../define';
import { dataOf, recordTensor, uninitialized } from '../record';
import { broadcastShapes, formatShape } from '../shape';
import type { Tensor } from '../tensor';
import { expand, reshape, toType } from './shape';
import { tagForExport } from '../trace';

interface Transposes {
  ta: boolean;
  tb: boolean;
}

/** d/dA and d/dB of C = op(A) op(B), themselves products with transposes read in place. */
const MM = /* @__PURE__ */ tensorRule('matmul', [0, 1], (g, node) => {
  const a = node._a as Tensor;
  const b = node._rest as Tensor;
  const { ta, tb } = node._ctx as Transposes;
  // Only the products a parent needs (an input batch x needs none: a third of a layer's work).
  const ga = !needsGrad(a) ? null : ta ? mm(b, g, tb, true) : mm(g, b, false, !tb);
  const gb = !needsGrad(b) ? null : tb ? mm(g, a, true, ta) : mm(a, g, !ta, false);
  return [
    [a, ga === null ? null : reduceTo(ga, a)],
    [b, gb === null ? null : reduceTo(gb, b)],
  ];
});

/**
 * op(A)·op(B) on 3-D operands [batch or 1, rows, cols], op = transpose where asked; the batch
 * dimensions must be equal or 1. @internal
 */
export function mm(a: Tensor, b: Tensor, ta: boolean, tb: boolean): Tensor {
  const dtype = resultType(a, b);
  if (a.dtype !== dtype) a = toType(a, dtype);
  if (b.dtype !== dtype) b = toType(b, dtype);
  const [ba, ra, ca] = a.shape;
  const [bb, rb, cb] = b.shape;
  const m = ta ? ca : ra;
  const k = ta ? ra : ca;
  const n = tb ? rb : cb;
  const batch = Math.max(ba, bb);
  const out = uninitialized([batch, m, n], dtype);
  currentBackend().matmul(
    dataOf(a),
    dataOf(b),
    dataOf(out),
    batch,
    m,
    k,
    n,
    ba === 1 ? 0 : ra * ca,
    bb === 1 ? 0 : rb * cb,
    ta,
    tb,
  );
  return recordTensor(out, MM, a, b, { ta, tb } satisfies Transposes);
}

/** The matrix product of `a` and `b` with PyTorch's rules. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  checkTensor('matmul', a, 'first operand');
  checkTensor('matmul', b, 'second operand');
  if (a.ndim === 0 || b.ndim === 0)
    throw new RangeError(
      `matmul(): both operands need at least one dimension, got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}; use mul for scalars.`,
    );
  const a2 = a.ndim === 1 ? reshape(a, [1, a.shape[0]]) : a;
  const b2 = b.ndim === 1 ? reshape(b, [b.shape[0], 1]) : b;
  const k = a2.shape[a2.ndim - 1];
  if (b2.shape[b2.ndim - 2] !== k) {
    throw new RangeError(
      `matmul(): the inner dimensions must match, but shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} give ${k} and ${b2.shape[b2.ndim - 2]}. ` +
        'Transpose one operand (x.transpose()) or check the layer sizes.',
    );
  }
  const m = a2.shape[a2.ndim - 2];
  const n = b2.shape[b2.ndim - 1];
  const batchShape = batchShapeOf(a, b, a2.shape.slice(0, -2), b2.shape.slice(0, -2));
  const batch = batchShape.reduce((p, d) => p * d, 1);
  const a3 = to3d(a2, batchShape, batch, m, k);
  const b3 = to3d(b2, batchShape, batch, k, n);
  const out = mm(a3, b3, false, false);
  const shape = [...batchShape, m, n];
  if (a.ndim === 1) shape.splice(shape.length - 2, 1);
  if (b.ndim === 1) shape.splice(shape.length - 1, 1);
  return tagForExport(reshape(out, shape), 'MatMul', [a, b]);
}

/** The broadcast batch shape; the error names both operands' full shapes (not just their batch parts). */
function batchShapeOf(a: Tensor, b: Tensor, batchA: readonly number[], batchB: readonly number[]): number[] {
  try {
    return broadcastShapes('matmul', batchA, batchB);
  } catch {
    throw new RangeError(
      `matmul(): the batch dimensions of shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} (${formatShape(batchA)} and ${formatShape(batchB)}) ` +
        'cannot be broadcast together. Each trailing batch dimension must match or be 1.',
    );
  }
}

/** [..., r, c] as [batch or 1, r, c]: a batch the operand lacks is read with stride 0, other broadcasting is expanded. */
function to3d(x: Tensor, batchShape: readonly number[], batch: number, r: number, c: number): Tensor {
  const own = x.shape.slice(0, -2);
  const ownBatch = own.reduce((p, d) => p * d, 1);
  if (ownBatch === 1) return reshape(x, [1, r, c]);
  if (ownBatch === batch) return reshape(x, [batch, r, c]);
  return reshape(expand(x, [...batchShape, r, c]), [batch, r, c]);
}
