/**
 * A JAX-style functional layer: `gradFn(f)` and `valueAndGrad(f)` turn a function of numbers
 * and Values into its gradient function. Called with numbers they return numbers; called with
 * Values that require grad they return Values with a graph, so `gradFn(gradFn(f))` is the
 * second derivative.
 */
import { describeForError } from '../engine/errors';
import { enableGrad, isGradEnabled } from '../engine/modes';
import { Value } from '../engine/value';
import { Tensor } from '../tensor/tensor';
import { grad } from './grad';
import { optionsObject } from '../util/options';

/** A number, a Value when the gradient function was called with Values, or a Tensor for a Tensor argument. */
export type Gradient = number | Value | Tensor;

/** Which arguments to differentiate with respect to (JAX's `argnums`): an index or a list of them. */
export interface GradFnOptions {
  argnums?: number | readonly number[];
}

/** Any function of numbers, Values and Tensors that returns a Value, a one-element Tensor, or a number (a constant). */
type Fn = (...args: never[]) => Value | Tensor | number;

/** A gradient function for one argument: numbers in, a number out; Values in, a Value out. */
export interface ScalarGradFn {
  (...args: number[]): number;
  (...args: (number | Value | Tensor)[]): Gradient;
}

/** A gradient function for several arguments (`argnums` a list). */
export interface VectorGradFn {
  (...args: number[]): number[];
  (...args: (number | Value | Tensor)[]): Gradient[];
}

/** `valueAndGrad` for one argument: `[value, gradient]`. */
export interface ScalarValueAndGradFn {
  (...args: number[]): [number, number];
  (...args: (number | Value | Tensor)[]): [Gradient, Gradient];
}

/** `valueAndGrad` for several arguments: `[value, gradients]`. */
export interface VectorValueAndGradFn {
  (...args: number[]): [number, number[]];
  (...args: (number | Value | Tensor)[]): [Gradient, Gradient[]];
}

/**
 * The gradient function of `f` with respect to argument `argnums` (default 0; a list gives a
 * list of gradients). Arguments that are not differentiated pass through unchanged.
 *
 * @example
 * const f = (x: Value) => x.pow(3);
 * gradFn(f)(2);                   // 12
 * gradFn(gradFn(f))(2);           // 12 (= 6x)
 * gradFn((x, y) => x.mul(y), { argnums: [0, 1] })(2, 5);   // [5, 2]
 */
export function gradFn(f: Fn, options?: { argnums?: number }): ScalarGradFn;
export function gradFn(f: Fn, options: { argnums: readonly number[] }): VectorGradFn;
export function gradFn(f: Fn, options: GradFnOptions = {}): ScalarGradFn | VectorGradFn {
  const withValue = makeValueAndGrad(f, options);
  return ((...args: (number | Value | Tensor)[]) => withValue(...args)[1]) as ScalarGradFn | VectorGradFn;
}

/**
 * Like `gradFn`, but the returned function gives `[f(...args), gradient]` from one forward pass.
 *
 * @example
 * valueAndGrad((x: Value) => x.mul(x))(3);     // [9, 6]
 */
export function valueAndGrad(f: Fn, options?: { argnums?: number }): ScalarValueAndGradFn;
export function valueAndGrad(f: Fn, options: { argnums: readonly number[] }): VectorValueAndGradFn;
export function valueAndGrad(f: Fn, options: GradFnOptions = {}): ScalarValueAndGradFn | VectorValueAndGradFn {
  return makeValueAndGrad(f, options) as ScalarValueAndGradFn | VectorValueAndGradFn;
}

function makeValueAndGrad(
  f: Fn,
  options: GradFnOptions,
): (...args: (number | Value | Tensor)[]) => [Gradient, Gradient | Gradient[]] {
  if (typeof f !== 'function') throw new TypeError(`gradFn(f): f must be a function, got ${describeForError(f)}.`);
  const { argnums = 0 } = optionsObject('gradFn(f, options)', options);
  const single = typeof argnums === 'number';
  const positions = single ? [argnums] : [...argnums];
  if (positions.length === 0 || !positions.every((i) => Number.isInteger(i) && i >= 0)) {
    throw new TypeError(
      `gradFn(f, { argnums }): argnums must be a non-negative integer or a non-empty list of them, got ${describeForError(argnums)}.`,
    );
  }
  return (...args) => {
    positions.forEach((i) => {
      if (i >= args.length)
        throw new RangeError(`gradFn: argnums asks for argument ${i}, but only ${args.length} were passed.`);
      if (typeof args[i] !== 'number' && !(args[i] instanceof Value) && !(args[i] instanceof Tensor)) {
        throw new TypeError(
          `gradFn: argument ${i} must be a number, a Value or a Tensor, got ${describeForError(args[i])}.`,
        );
      }
    });
    // Values and Tensors that require grad are differentiated in place, which keeps their graph
    // for an outer derivative; numbers (and constants) become fresh leaves.
    const symbolic = positions.some((i) => isTracked(args[i]));
    // A position listed twice gets one leaf, so each copy gets the whole gradient (as a tracked
    // argument does); a second fresh leaf would leave the first unused, with a zero gradient.
    const callArgs = args.slice();
    const leaves = new Map<number, Value | Tensor>();
    const inputs = positions.map((i) => {
      const arg = args[i];
      const input =
        leaves.get(i) ??
        (isTracked(arg)
          ? (arg as Value | Tensor)
          : arg instanceof Tensor
            ? arg.detach().requiresGrad_()
            : new Value(typeof arg === 'number' ? arg : arg.data));
      leaves.set(i, input);
      callArgs[i] = input;
      return input;
    });
    // A function transform, like JAX's grad and torch.func.grad: it records its own forward even
    // inside noGrad (an outer noGrad only keeps the results free of graphs).
    const outer = isGradEnabled();
    const [out, gradients] = enableGrad(() => {
      const output = (f as (...args: (number | Value | Tensor)[]) => unknown)(...callArgs);
      if (typeof output !== 'number' && !(output instanceof Value) && !(output instanceof Tensor)) {
        throw new TypeError(
          `gradFn: f must return a Value, a one-element Tensor or a number, but returned ${describeForError(output)}.`,
        );
      }
      const result = typeof output === 'number' ? new Value(output, { requiresGrad: false }) : output;
      const gradients: (Value | Tensor)[] = grad(result, inputs, { createGraph: symbolic && outer, allowUnused: true });
      return [result, gradients] as const;
    });
    const value: Gradient =
      symbolic && outer ? out : symbolic ? out.detach() : out instanceof Tensor ? out.detach() : out.data;
    const result: Gradient[] = symbolic ? gradients : gradients.map((g) => (g instanceof Value ? g.data : g));
    return [value, single ? result[0] : result];
  };
}

function isTracked(arg: unknown): boolean {
  return (arg instanceof Value || arg instanceof Tensor) && arg.requiresGrad;
}
