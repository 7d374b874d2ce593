/**
 * Tensor arithmetic with NumPy/PyTorch broadcasting: add, sub, mul, div, pow, neg, maximum,
 * minimum, where, and the comparisons (which give constant 0/1 tensors). Each op's forward,
 * then its gradient rule written with these same ops, so it serves every order.
 */
import { needsGrad } from '../../engine/record';
import { currentBackend } from '../backend-choice';
import { type TensorOperand, asArray, binaryKernel, binaryOp, checkTensor, resultType, tensorRule } from '../define';
import { dataOf, empty, recordTensor } from '../record';
import { broadcastShapes, broadcastStrides } from '../shape';
import { Tensor } from '../tensor';
import { log } from './unary';

export const add = /* @__PURE__ */ binaryOp('add', 'add', (g) => [g, g], []);

export const sub = /* @__PURE__ */ binaryOp('sub', 'sub', (g) => [g, neg(g)], []);

export const mul = /* @__PURE__ */ binaryOp('mul', 'mul', (g, a, b) => [mul(g, b), mul(g, a)], [0, 1]);

export const div = /* @__PURE__ */ binaryOp(
  'div',
  'div',
  (g, a, b) => [div(g, b), neg(mul(g, div(a, mul(b, b))))],
  [0, 1],
);

/**
 * d/da a^b = b a^(b-1) (0 where b = 0, at every order); d/db a^b = a^b ln a (0 where a = 0 and
 * b >= 0, PyTorch's convention). Masks use `where`, never a multiply by 0, so an infinite
 * upstream gradient gives 0 there rather than NaN.
 */
export const pow = /* @__PURE__ */ binaryOp(
  'pow',
  'pow',
  (g, a, b, out) => {
    const ga = typeof a === 'number' ? null : where(eq(b, 0), 0, mul(g, mul(b, pow(a, sub(b, 1)))));
    const gb =
      typeof b === 'number'
        ? null
        : where(mul(eq(a, 0), ge(b, 0)), 0, mul(g, mul(out, typeof a === 'number' ? Math.log(a) : log(a))));
    return [ga, gb];
  },
  [0, 1, -1],
);

/**
 * PyTorch's rule for maximum/minimum: all of the gradient to the winner, half each on a tie,
 * and nothing to the operand that lost (`aLoses`: where a lost to b).
 */
function pickGrad(g: Tensor, a: TensorOperand, b: TensorOperand, aLoses: Tensor, bLoses: Tensor): [Tensor, Tensor] {
  const shared = where(eq(a, b), mul(g, 0.5), g);
  return [where(aLoses, 0, shared), where(bLoses, 0, shared)];
}

export const maximum = /* @__PURE__ */ binaryOp(
  'maximum',
  'maximum',
  (g, a, b) => pickGrad(g, a, b, lt(a, b), gt(a, b)),
  [0, 1],
);

export const minimum = /* @__PURE__ */ binaryOp(
  'minimum',
  'minimum',
  (g, a, b) => pickGrad(g, a, b, gt(a, b), lt(a, b)),
  [0, 1],
);

/** A comparison: a constant 0/1 tensor that records nothing. */
function compare(op: 'gt' | 'ge' | 'lt' | 'le' | 'eq') {
  return (a: TensorOperand, b: TensorOperand): Tensor => binaryKernel(op, op, a, b);
}

export const gt = /* @__PURE__ */ compare('gt');
export const ge = /* @__PURE__ */ compare('ge');
export const lt = /* @__PURE__ */ compare('lt');
export const le = /* @__PURE__ */ compare('le');
export const eq = /* @__PURE__ */ compare('eq');

const NEG = /* @__PURE__ */ tensorRule('neg', [], (g, node) => [[node._a, neg(g)]]);

export function neg(x: Tensor): Tensor {
  checkTensor('neg', x);
  const out = empty(x.shape, x.dtype);
  currentBackend().unary('neg', dataOf(x), dataOf(out));
  return recordTensor(out, NEG, x, null);
}

const WHERE = /* @__PURE__ */ tensorRule('where', [], (g, node) => {
  const [cond, a, b] = node._ctx as [Tensor, TensorOperand, TensorOperand];
  return [
    [a, typeof a === 'number' ? null : where(cond, g, 0)],
    [b, typeof b === 'number' ? null : where(cond, 0, g)],
  ];
});

/**
 * Elementwise `cond ? a : b` (cond nonzero), broadcasting all three. The gradient goes to `a`
 * where cond holds and to `b` elsewhere, exactly 0 on the other side at every order (a mask,
 * not a multiply: an infinite gradient stays out).
 *
 * @example where(tensor([1, 0]), tensor([1, 2]), 9).toArray()   // [1, 9]
 */
export function where(cond: Tensor, a: TensorOperand, b: TensorOperand): Tensor {
  checkTensor('where', cond, 'cond');
  const aShape = a instanceof Tensor ? a.shape : [];
  const bShape = b instanceof Tensor ? b.shape : [];
  const shape = broadcastShapes('where', broadcastShapes('where', cond.shape, aShape), bShape);
  const dtype = resultType(a, b);
  const out = empty(shape, dtype);
  currentBackend().where(
    dataOf(cond),
    broadcastStrides(cond.shape, shape),
    asArray(a, dtype, 1),
    broadcastStrides(aShape, shape),
    asArray(b, dtype, 2),
    broadcastStrides(bShape, shape),
    shape,
    dataOf(out),
  );
  const operands = [a, b].filter((x): x is Tensor => x instanceof Tensor && needsGrad(x));
  return recordTensor(out, WHERE, null, operands, [cond, a, b]);
}
