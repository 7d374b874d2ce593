/**
 * Reductions: `Value.sum` and `Value.dot`, each ONE n-ary node however many terms it has (not a
 * chain of adds and muls), so a sum of n terms costs one node and one rule call in the backward
 * pass. Plain numbers among the terms are constants, kept on the node. Both add left to right,
 * exactly as a chain `start + a0*b0 + a1*b1 + ...` would, so results match bit for bit.
 */
import { describeForError } from '../engine/errors';
import type { BackwardRule } from '../engine/record';
import { badOperand, makeNode, needsGrad, defineRule } from '../engine/record';
import { Value } from '../engine/value';
import { mul } from './arithmetic';

declare module '../engine/value' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Value {
    /**
     * The sum of `values` (Values and plain numbers, in order) as one node. Gradient: passes
     * `grad` unchanged to every Value term. An empty sum is the constant 0.
     * @example Value.sum([new Value(1), 2, new Value(3)])   // Value(data=6, grad=0)
     */
    function sum(values: Iterable<Value | number>): Value;
    /**
     * `start + a[0]*b[0] + a[1]*b[1] + ...` (start defaults to 0) as one node: a neuron's
     * pre-activation in a single op. Gradient: `grad * b[i]` to `a[i]`, `grad * a[i]` to `b[i]`,
     * `grad` to `start`. Entries may be Values or numbers; `a` and `b` must have equal lengths.
     * @example Value.dot([new Value(2), new Value(3)], [10, 100], 1)   // Value(data=321, grad=0)
     */
    function dot(a: readonly (Value | number)[], b: readonly (Value | number)[], start?: Value | number): Value;
  }
}

/** The number an operand stands for. */
function valueOf(operand: Value | number): number {
  return typeof operand === 'number' ? operand : operand.data;
}

function checkOperand(op: string, operand: unknown): Value | number {
  if (typeof operand === 'number' || operand instanceof Value) return operand;
  return badOperand(op, operand);
}

const SUM: BackwardRule<Value, Value> = defineRule({
  name: 'sum',
  backward(node, sink) {
    const grad = sink.grad;
    const args = node._args!;
    for (let i = 0; i < args.length; i++) {
      const term = args[i];
      if (typeof term !== 'number') sink.add(term, grad);
    }
  },
  backwardGraph(node, grad, sink) {
    for (const term of node._args!) if (typeof term !== 'number') sink.add(term, grad);
  },
});

export function sum(values: Iterable<Value | number>): Value {
  if (values === null || values === undefined || typeof (values as Iterable<unknown>)[Symbol.iterator] !== 'function') {
    throw new TypeError(
      `Value.sum(values): expected an iterable (e.g. an array) of Values and numbers, got ${describeForError(values)}.`,
    );
  }
  const terms = Array.isArray(values) ? values.slice() : Array.from(values);
  let data = 0;
  let anyRequiresGrad = false;
  for (let i = 0; i < terms.length; i++) {
    const term = checkOperand('Value.sum', terms[i]);
    data += valueOf(term);
    if (typeof term !== 'number' && needsGrad(term)) anyRequiresGrad = true;
  }
  return makeNode(SUM, data, null, terms, anyRequiresGrad);
}

/** `_args` of a dot node: `[start, a0, b0, a1, b1, ...]`. */
const DOT: BackwardRule<Value, Value> = defineRule({
  name: 'dot',
  backward(node, sink) {
    const grad = sink.grad;
    const args = node._args!;
    const start = args[0];
    if (typeof start !== 'number') sink.add(start, grad);
    for (let i = 1; i < args.length; i += 2) {
      const a = args[i];
      const b = args[i + 1];
      if (typeof a !== 'number') sink.add(a, grad * valueOf(b));
      if (typeof b !== 'number') sink.add(b, grad * valueOf(a));
    }
  },
  backwardGraph(node, grad, sink) {
    const args = node._args!;
    const start = args[0];
    if (typeof start !== 'number') sink.add(start, grad);
    for (let i = 1; i < args.length; i += 2) {
      const a = args[i];
      const b = args[i + 1];
      if (typeof a !== 'number') sink.add(a, mul(grad, b));
      if (typeof b !== 'number') sink.add(b, mul(grad, a));
    }
  },
  whyZero(node, index) {
    if (index === 0) return null;
    const other = node._args![index % 2 === 1 ? index + 1 : index - 1];
    return valueOf(other) === 0 ? 'a multiply by 0 (the other factor is 0)' : null;
  },
});

export function dot(a: readonly (Value | number)[], b: readonly (Value | number)[], start: Value | number = 0): Value {
  if (!Array.isArray(a) || !Array.isArray(b)) {
    throw new TypeError(
      `Value.dot(a, b): expected two arrays of Values and numbers, got ${describeForError(a)} and ${describeForError(b)}.`,
    );
  }
  if (a.length !== b.length) {
    throw new RangeError(
      `Value.dot(a, b): a has ${a.length} entries but b has ${b.length}; they must have the same length.`,
    );
  }
  const first = checkOperand('Value.dot', start);
  // Exactly sized: a list grown by push keeps spare capacity, and every byte per node counts.
  const args: (Value | number)[] = new Array(1 + 2 * a.length);
  args[0] = first;
  let data = valueOf(first);
  let anyRequiresGrad = typeof first !== 'number' && needsGrad(first);
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    let product: number;
    if (typeof x === 'number') product = x;
    else if (x instanceof Value) {
      product = x.data;
      if (!anyRequiresGrad && needsGrad(x)) anyRequiresGrad = true;
    } else return badOperand('Value.dot', x);
    if (typeof y === 'number') product *= y;
    else if (y instanceof Value) {
      product *= y.data;
      if (!anyRequiresGrad && needsGrad(y)) anyRequiresGrad = true;
    } else return badOperand('Value.dot', y);
    args[1 + 2 * i] = x;
    args[2 + 2 * i] = y;
    data += product;
  }
  return makeNode(DOT, data, null, args, anyRequiresGrad);
}

Object.assign(Value, { sum, dot });
