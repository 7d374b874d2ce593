/**
 * Crossing between the two node kinds inside one graph: `Tensor.fromValues` gathers scalar
 * Values into a tensor, `t.toValues()` splits a tensor into Values; gradients flow both ways.
 * Also the backward pass's gathering of scalar contributions into one tensor gradient.
 */
import type { GraphNode } from '../engine/node';
import { type BackwardRule, makeNode, needsGrad } from '../engine/record';
import { Value } from '../engine/value';
import { checkTensor, tensorRule } from './define';
import { dataOf, empty, recordTensor } from './record';
import { checkShape, formatShape, sizeOf } from './shape';
import { Tensor } from './tensor';

const FROM_VALUES = /* @__PURE__ */ tensorRule('fromValues', [], (g, node) => {
  const values = g.toValues();
  return (node._rest as readonly Value[]).map((v, i) => [v, values[i] as unknown as Tensor] as const);
});

/**
 * A tensor of `shape` whose elements are `values` (row-major); gradient flows back to each
 * Value. The tensor is float64, so scalar gradients stay exact.
 *
 * @example
 * const a = new Value(2), b = new Value(3);
 * const t = fromValues([a, b], [2]);
 * t.mul(t).sum().toValues()[0].backward();
 * [a.grad, b.grad];          // [4, 6]
 */
export function fromValues(values: readonly (Value | number)[], shape: readonly number[] = [values.length]): Tensor {
  if (!Array.isArray(values))
    throw new TypeError(
      `fromValues(values, shape): values must be an array of Values or numbers, got ${String(values)}.`,
    );
  const dims = checkShape('fromValues', shape);
  if (sizeOf(dims) !== values.length)
    throw new RangeError(`fromValues(): ${values.length} values cannot fill shape ${formatShape(dims)}.`);
  const out = empty(dims, 'float64');
  const data = dataOf(out);
  const nodes: Value[] = [];
  values.forEach((v, i) => {
    if (v instanceof Value) {
      data[i] = v.data;
      nodes.push(v);
    } else if (typeof v === 'number') {
      data[i] = v;
      nodes.push(new Value(v, { requiresGrad: false }));
    } else {
      throw new TypeError(`fromValues(): values[${i}] must be a Value or a number, got ${typeof v}.`);
    }
  });
  return recordTensor(out, FROM_VALUES, null, nodes);
}

/** The rule of a Value taken from a tensor element: its gradient goes to that element. */
const ELEMENT: BackwardRule<Value, Value> = {
  name: 'element',
  backward(node, sink) {
    sink.addAt(node._a as unknown as GraphNode, node._rest as number, sink.grad);
  },
  backwardGraph(node, grad, sink) {
    sink.addAt(node._a as unknown as GraphNode, node._rest as number, grad);
  },
};

export function toValues(t: Tensor): Value[] {
  checkTensor('toValues', t);
  const data = dataOf(t);
  const grads = needsGrad(t);
  const out = new Array<Value>(data.length);
  for (let i = 0; i < data.length; i++) out[i] = makeNode(ELEMENT, data[i], t as unknown as Value, i, grads);
  return out;
}

/** The gradient of `t` from scalar contributions to its elements. @internal */
export function scatterGrad(t: Tensor, indices: readonly number[], grads: readonly (number | object)[]): Tensor {
  if (grads.length > 0 && typeof grads[0] !== 'number') {
    // Under createGraph: a tensor built from the Values, so the gradient keeps their graphs.
    const entries: (Value | number)[] = new Array(t.size).fill(0);
    indices.forEach((index, k) => {
      const previous = entries[index];
      const g = grads[k] as Value;
      entries[index] = typeof previous === 'number' ? g : previous.add(g);
    });
    return fromValues(entries, t.shape).toType(t.dtype);
  }
  const out = empty(t.shape, t.dtype);
  const data = dataOf(out);
  indices.forEach((index, k) => (data[index] += grads[k] as number));
  return out;
}
