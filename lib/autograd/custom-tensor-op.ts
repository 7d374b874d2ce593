/**
 * Custom ops on Tensors (PyTorch's `autograd.Function`): the forward runs on the inputs with
 * recording off and returns a Tensor; the backward gets the incoming gradient and returns one
 * gradient per input, written with tensor ops so it works at every order.
 */
import { describeForError } from '../engine/errors';
import { noGrad } from '../engine/modes';
import { userCode } from '../engine/hooks';
import { recordTensor } from '../tensor/record';
import { tensorRule } from '../tensor/define';
import { formatShape, sameShape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';

/** What a tensor custom op's backward sees. */
export interface CustomTensorOpContext {
  /** The op's inputs as passed (Tensors and numbers). */
  inputs: (Tensor | number)[];
  /** The tensor the forward produced. */
  output: Tensor;
  /** d(final output)/d(output): a constant in a first-order pass, a Tensor with a graph under createGraph. */
  grad: Tensor;
}

/** The definition of a custom op on Tensors. */
export interface CustomTensorOpSpec {
  /** The op's name, shown as `tensor.op` and in errors. */
  name: string;
  /** The forward computation (run with recording off). */
  forward: (...inputs: (Tensor | number)[]) => Tensor;
  /** One gradient per input, with the input's shape (null or a number input's entry is ignored). */
  backward: (ctx: CustomTensorOpContext) => (Tensor | null)[];
}

/**
 * Defines an op on Tensors from a forward and a backward rule, returning the op as a function.
 *
 * @example
 * const square = customTensorOp({
 *   name: 'square',
 *   forward: (x) => (x as Tensor).mul(x),
 *   backward: ({ inputs: [x], grad }) => [grad.mul(x).mul(2)],
 * });
 * const x = tensor([3], { requiresGrad: true });
 * square(x).sum().backward();
 * x.grad!.toArray();          // [6]
 */
export function customTensorOp(spec: CustomTensorOpSpec): (...args: (Tensor | number)[]) => Tensor {
  if (typeof spec !== 'object' || spec === null)
    throw new TypeError(`customTensorOp(spec): spec must be an object, got ${describeForError(spec)}.`);
  if (typeof spec.name !== 'string' || spec.name === '')
    throw new TypeError('customTensorOp(spec): spec.name must be a non-empty string.');
  if (typeof spec.forward !== 'function')
    throw new TypeError(`customTensorOp '${spec.name}': spec.forward must be a function.`);
  if (typeof spec.backward !== 'function')
    throw new TypeError(`customTensorOp '${spec.name}': spec.backward must be a function.`);
  const rule = tensorRule(spec.name, [], (g, node) => {
    const inputs = node._ctx as (Tensor | number)[];
    userCode.count++;
    const grads = spec.backward({ inputs, output: node, grad: g });
    if (!Array.isArray(grads) || grads.length !== inputs.length) {
      throw new TypeError(
        `customTensorOp '${spec.name}': backward must return one gradient per input (${inputs.length}), but returned ${describeForError(grads)}.`,
      );
    }
    return inputs.map((input, i) => {
      const gi = grads[i];
      if (typeof input === 'number' || gi === null) return [null, null] as const;
      if (!(gi instanceof Tensor) || !sameShape(gi.shape, input.shape)) {
        throw new TypeError(
          `customTensorOp '${spec.name}': backward's gradient ${i} must be a Tensor of shape ${formatShape(input.shape)}, got ${gi instanceof Tensor ? `shape ${formatShape(gi.shape)}` : describeForError(gi)}.`,
        );
      }
      return [input, gi] as const;
    });
  });
  return (...args) => {
    args.forEach((arg, i) => {
      if (typeof arg !== 'number' && !(arg instanceof Tensor))
        throw new TypeError(
          `customTensorOp '${spec.name}': argument ${i} must be a Tensor or a number, got ${describeForError(arg)}.`,
        );
    });
    const out = noGrad(() => spec.forward(...args.map((a) => (a instanceof Tensor ? a.detach() : a))));
    if (!(out instanceof Tensor))
      throw new TypeError(
        `customTensorOp '${spec.name}': forward must return a Tensor, but returned ${describeForError(out)}.`,
      );
    const result = new Tensor(out._storage, out.shape);
    return recordTensor(
      result,
      rule,
      null,
      args.filter((a): a is Tensor => a instanceof Tensor),
      args.slice(),
    );
  };
}
