/**
 * Reductions: `Value.sum`: one n-ary node for any number of terms (not a chain of adds), so a
 * sum of n terms costs one node and one rule call in the backward pass.
 */
import type { BackwardRule } from '../engine/rule';
import { Value, badOperand, makeNode, needsGrad } from '../engine/value';

declare module '../engine/value' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Value {
    /**
     * The sum of `values` (Values and plain numbers, in order) as one node. Gradient: passes
     * `grad` unchanged to every Value term. An empty sum is the constant 0.
     * @example Value.sum([new Value(1), 2, new Value(3)])   // Value(data=6, grad=0)
     */
    function sum(values: Iterable<Value | number>): Value;
  }
}

const SUM: BackwardRule = {
  name: 'sum',
  backward(node, sink) {
    const grad = sink.grad;
    const args = node._args!;
    for (let i = 0; i < args.length; i++) sink.add(args[i], grad);
  },
  backwardGraph(node, grad, sink) {
    for (const arg of node._args!) sink.add(arg, grad);
  },
};

export function sum(values: Iterable<Value | number>): Value {
  if (values === null || values === undefined || typeof (values as Iterable<unknown>)[Symbol.iterator] !== 'function') {
    return badOperand('Value.sum', values);
  }
  const terms: Value[] = [];
  let data = 0;
  let constant = 0;
  let anyRequiresGrad = false;
  for (const term of values) {
    if (typeof term === 'number') {
      data += term;
      constant += term;
    } else if (term instanceof Value) {
      data += term.data;
      terms.push(term);
      if (needsGrad(term)) anyRequiresGrad = true;
    } else {
      return badOperand('Value.sum', term);
    }
  }
  return makeNode(SUM, data, null, constant, terms, anyRequiresGrad);
}

(Value as unknown as { sum: typeof sum }).sum = sum;
