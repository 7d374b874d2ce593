/**
 * The ops as free functions that take numbers, Values and Tensors alike (as `tf.mul` and
 * `jnp.multiply` do), so one function serves `gradFn` whatever its arguments are. Numbers give
 * numbers, Values give Values, and anything with a Tensor gives a Tensor (a Value operand
 * joins the tensor graph as a 0-d tensor, and its gradient flows back to it).
 */
import { describeForError } from './engine/errors';
import { Value } from './engine/value';
import type { OperandOrValue } from './tensor/define';
import * as T from './tensor/ops/arithmetic';
import * as U from './tensor/ops/unary';
import { Tensor } from './tensor/tensor';

/** A number, a scalar Value or a Tensor. */
export type Operand = number | Value | Tensor;

/** The result type of an op on `A` and `B`: Tensor if either is one, else Value if either is one, else number. */
export type Result<A, B = number> = A extends Tensor
  ? Tensor
  : B extends Tensor
    ? Tensor
    : A extends Value
      ? Value
      : B extends Value
        ? Value
        : number;

function check(op: string, x: unknown): Operand {
  if (typeof x === 'number' || x instanceof Value || x instanceof Tensor) return x;
  throw new TypeError(`${op}(): expected a number, a Value or a Tensor, got ${describeForError(x)}.`);
}

function toValue(x: number | Value): Value {
  return typeof x === 'number' ? new Value(x, { requiresGrad: false }) : x;
}

function binary(
  name: string,
  onNumbers: (a: number, b: number) => number,
  onValues: (a: Value, b: Value | number) => Value,
  onTensors: (a: OperandOrValue, b: OperandOrValue) => Tensor,
) {
  return <A extends Operand, B extends Operand>(a: A, b: B): Result<A, B> => {
    check(name, a);
    check(name, b);
    if (a instanceof Tensor || b instanceof Tensor) return onTensors(a, b) as Result<A, B>; // a Value operand joins the tensor graph inside the tensor op
    if (a instanceof Value || b instanceof Value) return onValues(toValue(a), b) as Result<A, B>;
    return onNumbers(a, b) as Result<A, B>;
  };
}

function unary(
  name: string,
  onNumber: (x: number) => number,
  onValue: (x: Value) => Value,
  onTensor: (x: Tensor) => Tensor,
) {
  return <A extends Operand>(x: A): Result<A> => {
    check(name, x);
    if (x instanceof Tensor) return onTensor(x) as Result<A>;
    if (x instanceof Value) return onValue(x) as Result<A>;
    return onNumber(x) as Result<A>;
  };
}

/** a + b. @example add(2, 3)   // 5 */
export const add = /* @__PURE__ */ binary(
  'add',
  (a, b) => a + b,
  (a, b) => a.add(b),
  T.add,
);
/** a - b. @example sub(2, 3)   // -1 */
export const sub = /* @__PURE__ */ binary(
  'sub',
  (a, b) => a - b,
  (a, b) => a.sub(b),
  T.sub,
);
/** a * b. @example mul(new Value(2), 3).data   // 6 */
export const mul = /* @__PURE__ */ binary(
  'mul',
  (a, b) => a * b,
  (a, b) => a.mul(b),
  T.mul,
);
/** a / b. @example div(3, 2)   // 1.5 */
export const div = /* @__PURE__ */ binary(
  'div',
  (a, b) => a / b,
  (a, b) => a.div(b),
  T.div,
);
/** a ** b. @example pow(2, 3)   // 8 */
export const pow = /* @__PURE__ */ binary(
  'pow',
  (a, b) => a ** b,
  (a, b) => a.pow(b),
  T.pow,
);
/** The larger of a and b. @example maximum(2, 3)   // 3 */
export const maximum = /* @__PURE__ */ binary(
  'maximum',
  (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b)),
  (a, b) => a.max(b),
  T.maximum,
);
/** The smaller of a and b. @example minimum(2, 3)   // 2 */
export const minimum = /* @__PURE__ */ binary(
  'minimum',
  (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b)),
  (a, b) => a.min(b),
  T.minimum,
);

/** -x. @example neg(2)   // -2 */
export const neg = /* @__PURE__ */ unary(
  'neg',
  (x) => -x,
  (x) => x.neg(),
  T.neg,
);
/** e^x. @example exp(0)   // 1 */
export const exp = /* @__PURE__ */ unary('exp', Math.exp, (x) => x.exp(), U.exp);
/** ln x. @example log(1)   // 0 */
export const log = /* @__PURE__ */ unary('log', Math.log, (x) => x.log(), U.log);
/** √x. @example sqrt(9)   // 3 */
export const sqrt = /* @__PURE__ */ unary('sqrt', Math.sqrt, (x) => x.sqrt(), U.sqrt);
/** tanh x. @example tanh(0)   // 0 */
export const tanh = /* @__PURE__ */ unary('tanh', Math.tanh, (x) => x.tanh(), U.tanh);
/** The logistic sigmoid. @example sigmoid(0)   // 0.5 */
export const sigmoid = /* @__PURE__ */ unary(
  'sigmoid',
  (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
  (x) => x.sigmoid(),
  U.sigmoid,
);
/** max(x, 0). @example relu(-2)   // 0 */
export const relu = /* @__PURE__ */ unary(
  'relu',
  (x) => (x > 0 ? x : Number.isNaN(x) ? x : 0),
  (x) => x.relu(),
  U.relu,
);
/** |x|. @example abs(-2)   // 2 */
export const abs = /* @__PURE__ */ unary('abs', Math.abs, (x) => x.abs(), U.abs);

/** x where positive, else slope * x. @example leakyRelu(-10, 0.1)   // -1 */
export function leakyRelu<A extends Operand>(x: A, slope = 0.01): Result<A> {
  return unary(
    'leakyRelu',
    (v) => (v > 0 ? v : slope * v),
    (v) => v.leakyRelu(slope),
    (t) => U.leakyRelu(t, slope),
  )(x);
}

/** x limited to [min, max]. @example clamp(5, 0, 1)   // 1 */
export function clamp<A extends Operand>(x: A, min: number, max: number): Result<A> {
  return unary(
    'clamp',
    (v) => Math.min(Math.max(v, min), max),
    (v) => v.clamp(min, max),
    (t) => U.clamp(t, min, max),
  )(x);
}
