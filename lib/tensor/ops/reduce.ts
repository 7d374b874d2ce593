/**
 * Reductions over any axis or list of axes, with `keepDim`: sum, mean, max, min, and the
 * numerically stable logSumExp. The gradient of a reduction is the incoming gradient
 * broadcast back over the reduced axes (max/min: only to the elements that won).
 */
import { currentBackend } from '../backend-choice';
import { checkTensor, tensorRule } from '../define';
import { dataOf, empty, recordTensor } from '../record';
import { type Shape, normalizeAxes, normalizeAxis } from '../shape';
import type { Tensor } from '../tensor';
import { add, div, eq, mul, sub, where } from './arithmetic';
import { expand, reshape } from './shape';
import { aroundAxis } from './slice';
import { exp, log } from './unary';

type Axes = number | readonly number[] | null | undefined;

/** The shape with `axes` set to 1 (kept) or removed. */
function reducedShape(shape: Shape, axes: readonly number[], keepDim: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (!axes.includes(i)) out.push(shape[i]);
    else if (keepDim) out.push(1);
  }
  return out;
}

/** Runs reduction kernel `op` over `axes` (largest first) and returns the result with kept dimensions. */
function reduceKernel(op: 'sum' | 'max' | 'min', x: Tensor, axes: readonly number[]): Tensor {
  let current = x;
  let shape = x.shape.slice();
  for (let k = axes.length - 1; k >= 0; k--) {
    const axis = axes[k];
    const { outer, size, inner } = aroundAxis(shape, axis);
    shape = shape.slice();
    shape[axis] = 1;
    const out = empty(shape, x.dtype);
    currentBackend().reduce(op, dataOf(current), outer, size, inner, dataOf(out));
    current = out;
  }
  return axes.length === 0 ? copyOf(x) : current;
}

function copyOf(x: Tensor): Tensor {
  const out = empty(x.shape, x.dtype);
  dataOf(out).set(dataOf(x));
  return out;
}

/** The gradient of a reduction, broadcast back to the input's shape. */
function spread(g: Tensor, x: Tensor, axes: readonly number[]): Tensor {
  return expand(reshape(g, reducedShape(x.shape, axes, true)), x.shape);
}

const SUM = /* @__PURE__ */ tensorRule('sum', [], (g, node) => {
  const x = node._a as Tensor;
  return [[x, spread(g, x, node._ctx as number[])]];
});

export function sum(x: Tensor, axis?: Axes, keepDim = false): Tensor {
  checkTensor('sum', x);
  const axes = normalizeAxes('sum', axis, x.ndim);
  const kept = reduceKernel('sum', x, axes);
  const out = reshape(kept, reducedShape(x.shape, axes, keepDim));
  return recordTensor(out, SUM, x, null, axes);
}

export function mean(x: Tensor, axis?: Axes, keepDim = false): Tensor {
  checkTensor('mean', x);
  const axes = normalizeAxes('mean', axis, x.ndim);
  let count = 1;
  for (const a of axes) count *= x.shape[a];
  return div(sum(x, axes, keepDim), count);
}

/** max/min: one axis sends the gradient to the first winner (PyTorch's max(dim)); several or all split it among ties (amax, max()). */
function extremeRule(name: 'max' | 'min') {
  return tensorRule(name, [0, -1], (g, node) => {
    const x = node._a as Tensor;
    const axes = node._ctx as number[];
    const kept = reshape(node.detach(), reducedShape(x.shape, axes, true));
    let mask: Tensor;
    if (axes.length === 1 && x.ndim > 0) {
      mask = firstWinner(name, x, axes[0]);
    } else {
      mask = eq(x, expand(kept, x.shape));
      mask = div(mask, expand(reduceKernel('sum', mask, axes), x.shape));
    }
    return [[x, where(mask, mul(spread(g, x, axes), mask), 0)]];
  });
}

/** A constant 0/1 tensor marking the first max/min along `axis`. */
function firstWinner(op: 'max' | 'min', x: Tensor, axis: number): Tensor {
  const { outer, size, inner } = aroundAxis(x.shape, axis);
  const index = new Float64Array(outer * inner);
  currentBackend().argReduce(op, dataOf(x), outer, size, inner, index);
  const mask = empty(x.shape, x.dtype);
  const data = dataOf(mask);
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < inner; i++) data[(o * size + index[o * inner + i]) * inner + i] = 1;
  return mask;
}

const MAX = /* @__PURE__ */ extremeRule('max');
const MIN = /* @__PURE__ */ extremeRule('min');

export function max(x: Tensor, axis?: Axes, keepDim = false): Tensor {
  return extreme('max', MAX, x, axis, keepDim);
}

export function min(x: Tensor, axis?: Axes, keepDim = false): Tensor {
  return extreme('min', MIN, x, axis, keepDim);
}

function extreme(name: 'max' | 'min', rule: typeof MAX, x: Tensor, axis: Axes, keepDim: boolean): Tensor {
  checkTensor(name, x);
  if (x.size === 0) throw new RangeError(`${name}(): cannot reduce an empty tensor (shape [${x.shape.join(', ')}]).`);
  const axes = normalizeAxes(name, axis, x.ndim);
  for (const a of axes)
    if (x.shape[a] === 0)
      throw new RangeError(`${name}(): cannot reduce over axis ${a} of size 0 (shape [${x.shape.join(', ')}]).`);
  const out = reshape(reduceKernel(name, x, axes), reducedShape(x.shape, axes, keepDim));
  return recordTensor(out, rule, x, null, axes);
}

/**
 * The index of the largest entry along `axis` (the first on ties), as PyTorch's argmax: a
 * float64 tensor of whole numbers that needs no grad. With no axis, the index into the
 * flattened tensor.
 */
export function argmax(x: Tensor, axis?: number | null, keepDim = false): Tensor {
  return argExtreme('argmax', 'max', x, axis, keepDim);
}

/** The index of the smallest entry along `axis` (the first on ties); see `argmax`. */
export function argmin(x: Tensor, axis?: number | null, keepDim = false): Tensor {
  return argExtreme('argmin', 'min', x, axis, keepDim);
}

function argExtreme(name: string, op: 'max' | 'min', x: Tensor, axis: number | null | undefined, keepDim: boolean) {
  checkTensor(name, x);
  if (x.size === 0) throw new RangeError(`${name}(): cannot reduce an empty tensor (shape [${x.shape.join(', ')}]).`);
  const whole = axis === undefined || axis === null;
  const a = whole ? 0 : normalizeAxis(name, axis, x.ndim);
  const { outer, size, inner } = aroundAxis(whole ? [x.size] : x.shape, a);
  const outShape = whole ? (keepDim ? x.shape.map(() => 1) : []) : reducedShape(x.shape, [a], keepDim);
  const out = empty(outShape, 'float64');
  currentBackend().argReduce(op, dataOf(x), outer, size, inner, dataOf(out));
  return out;
}

/** log(sum(exp(x))) without overflow: the maximum is taken out as a constant (it cancels in the gradient). */
export function logSumExp(x: Tensor, axis?: Axes, keepDim = false): Tensor {
  checkTensor('logSumExp', x);
  const axes = normalizeAxes('logSumExp', axis, x.ndim);
  const m = reduceKernel('max', x, axes);
  const md = dataOf(m);
  for (let i = 0; i < md.length; i++) if (!Number.isFinite(md[i])) md[i] = 0;
  const lse = add(log(sum(exp(sub(x, m)), axes, true)), m);
  return keepDim ? lse : reshape(lse, reducedShape(x.shape, axes, false));
}

export { normalizeAxis };
