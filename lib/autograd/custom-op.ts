/**
 * Custom ops with their own backward rule (PyTorch's `autograd.Function`, JAX's `custom_vjp`,
 * `tf.custom_gradient`), and two built on them: gradient reversal and the straight-through
 * estimator. A backward written with Value ops works at every order.
 */
import { describeForError } from '../engine/errors';
import { noGrad } from '../engine/modes';
import { badOperand, defineRule, makeNode, needsGrad } from '../engine/record';
import type { BackwardRule } from '../engine/record';
import { Value } from '../engine/value';

/** What a custom op's backward sees. */
export interface CustomOpContext {
  /** The op's inputs as Values (plain-number arguments appear as constants). */
  inputs: Value[];
  /** The node the forward produced. */
  output: Value;
  /** d(final output)/d(output): a constant in a first-order pass, a Value with a graph under createGraph. */
  grad: Value;
}

/** The definition of a custom op. */
export interface CustomOpSpec {
  /** The op's name, shown as `value.op` and in errors. */
  name: string;
  /** The forward computation on plain numbers. */
  forward: (...inputs: number[]) => number;
  /** One gradient per input (entries for plain-number inputs are ignored). Use Value ops to support higher order. */
  backward: (ctx: CustomOpContext) => (Value | number)[];
}

/**
 * Defines an op from a forward function and a backward rule, returning the op as a function of
 * Values and numbers. The backward runs without recording in first-order passes, and with
 * recording under `createGraph`, so a rule written with Value ops is differentiable again.
 *
 * @example
 * const cube = customOp({
 *   name: 'cube',
 *   forward: (x) => x ** 3,
 *   backward: ({ inputs: [x], grad }) => [grad.mul(x.pow(2)).mul(3)],
 * });
 * const x = new Value(2);
 * cube(x).backward();
 * x.grad;                          // 12
 */
export function customOp(spec: CustomOpSpec): (...args: (Value | number)[]) => Value {
  checkSpec(spec);
  const { name, forward } = spec;
  const rule: BackwardRule<Value, Value> = defineRule({
    name,
    backward(node, sink) {
      const grads = noGrad(() => runBackward(spec, node, new Value(sink.grad, { requiresGrad: false })));
      node._args!.forEach((arg, i) => {
        if (typeof arg !== 'number') sink.add(arg, numberOf(grads[i]));
      });
    },
    backwardGraph(node, grad, sink) {
      const grads = runBackward(spec, node, grad);
      node._args!.forEach((arg, i) => {
        if (typeof arg === 'number') return;
        const g = grads[i];
        sink.add(arg, typeof g === 'number' ? new Value(g, { requiresGrad: false }) : g);
      });
    },
  });

  return (...args) => {
    args.forEach((arg) => {
      if (typeof arg !== 'number' && !(arg instanceof Value)) badOperand(name, arg);
    });
    const data = forward(...args.map(numberOf));
    if (typeof data !== 'number') {
      throw new TypeError(`customOp '${name}': forward must return a number, but returned ${describeForError(data)}.`);
    }
    return makeNode(
      rule,
      data,
      null,
      args.slice(),
      args.some((arg) => typeof arg !== 'number' && needsGrad(arg)),
    );
  };
}

function runBackward(spec: CustomOpSpec, node: Value, grad: Value): (Value | number)[] {
  const args = node._args!;
  const inputs = args.map((arg) => (typeof arg === 'number' ? new Value(arg, { requiresGrad: false }) : arg));
  const grads = spec.backward({ inputs, output: node, grad });
  if (!Array.isArray(grads) || grads.length !== args.length) {
    throw new TypeError(
      `customOp '${spec.name}': backward must return an array with one gradient per input (${args.length}), ` +
        `but returned ${Array.isArray(grads) ? `${grads.length} entries` : describeForError(grads)}.`,
    );
  }
  grads.forEach((g, i) => {
    if (typeof g !== 'number' && !(g instanceof Value)) {
      throw new TypeError(
        `customOp '${spec.name}': backward's gradient ${i} must be a number or a Value, got ${describeForError(g)}.`,
      );
    }
  });
  return grads;
}

function numberOf(x: Value | number): number {
  return typeof x === 'number' ? x : x.data;
}

function checkSpec(spec: CustomOpSpec): void {
  if (typeof spec !== 'object' || spec === null)
    throw new TypeError(`customOp(spec): spec must be an object, got ${describeForError(spec)}.`);
  if (typeof spec.name !== 'string' || spec.name === '')
    throw new TypeError('customOp(spec): spec.name must be a non-empty string.');
  if (typeof spec.forward !== 'function')
    throw new TypeError(`customOp '${spec.name}': spec.forward must be a function.`);
  if (typeof spec.backward !== 'function')
    throw new TypeError(`customOp '${spec.name}': spec.backward must be a function.`);
}

const reversal = customOp({
  name: 'gradientReversal',
  forward: (x) => x,
  backward: ({ inputs, grad }) => [grad.mul(-inputs[1].data), 0],
});

/**
 * Identity forward; backward multiplies the gradient by `-lambda` (default 1): the gradient
 * reversal layer of domain-adversarial training. Works at every order.
 *
 * @example
 * const x = new Value(3);
 * gradientReversal(x, 0.5).mul(2).backward();
 * x.grad;                          // -1
 */
export function gradientReversal(x: Value, lambda: number = 1): Value {
  if (!(x instanceof Value))
    throw new TypeError(`gradientReversal(x, lambda): x must be a Value, got ${describeForError(x)}.`);
  if (typeof lambda !== 'number' || !Number.isFinite(lambda)) {
    throw new TypeError(
      `gradientReversal(x, lambda): lambda must be a finite number, got ${describeForError(lambda)}.`,
    );
  }
  return reversal(x, lambda);
}

/**
 * The straight-through estimator: forward `f(x)` (say, rounding), backward as if it were the
 * identity, so a non-differentiable quantiser still passes gradient to `x`.
 *
 * @example
 * const w = new Value(0.7);
 * const q = straightThrough(w, Math.round);   // Value(data=1, ...)
 * q.mul(3).backward();
 * w.grad;                                      // 3
 */
export function straightThrough(x: Value, f: (x: number) => number): Value {
  if (!(x instanceof Value))
    throw new TypeError(`straightThrough(x, f): x must be a Value, got ${describeForError(x)}.`);
  if (typeof f !== 'function')
    throw new TypeError(`straightThrough(x, f): f must be a function of a number, got ${describeForError(f)}.`);
  return customOp({ name: 'straightThrough', forward: f, backward: ({ grad }) => [grad] })(x);
}
