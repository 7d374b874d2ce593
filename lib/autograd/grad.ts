/**
 * `grad(output, inputs)`: gradients as return values (PyTorch's `torch.autograd.grad`),
 * without touching any `.grad` field; with `createGraph` they can be differentiated again.
 */
import { describeForError } from '../engine/errors';
import { runPass } from '../engine/graph';
import { Value } from '../engine/value';
import { full, zerosLike } from '../tensor/create';
import { formatShape, sameShape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { booleanOption, optionsObject } from '../util/options';
import { gradAlgebra } from './algebra';

/** A node `grad` differentiates: a scalar Value or a Tensor. */
export type Differentiable = Value | Tensor;

/** Options for `grad`. */
export interface GradOptions {
  /** Return gradients that carry their own graph, so they can be differentiated again (default false). */
  createGraph?: boolean;
  /** Give an input the output does not depend on a zero gradient instead of throwing (default false). */
  allowUnused?: boolean;
  /**
   * The gradient to start from, d(loss)/d(output): a number or Value for a Value output (default
   * 1); a Tensor of the output's shape for a Tensor output (default ones, allowed only for a
   * one-element output). A Value or Tensor keeps its graph under createGraph.
   */
  gradOutput?: number | Value | Tensor;
}

/** The gradient type for an input type: a Value for a Value, a Tensor for a Tensor. */
export type GradientOf<T> = T extends Tensor ? Tensor : Value;

/**
 * d(output)/d(input) for each input, returned as Values (scalar inputs) or Tensors (tensor
 * inputs, with the input's shape); no `.grad` field is read or written. Inputs may be leaves
 * or interior nodes (the gradient flowing into that node). Gradient does not flow through
 * detached, frozen or no-grad nodes, at any order. An input the output does not depend on
 * (along such paths) throws, unless `allowUnused` gives it a zero gradient. Without
 * `createGraph` the results are constants; with it, they carry a graph.
 *
 * @example
 * const x = new Value(3);
 * const [dx] = grad(x.pow(3), [x], { createGraph: true });   // 3x^2 = 27, with a graph
 * const [dxx] = grad(dx, [x]);                                // 6x = 18
 * x.grad;                                                     // 0: untouched
 */
export function grad<I extends readonly Differentiable[]>(
  output: Differentiable,
  inputs: I,
  options: GradOptions = {},
): { [K in keyof I]: GradientOf<I[K]> } {
  checkArguments(output, inputs, options);
  const { createGraph = false, allowUnused = false } = options;
  const results = (() => {
    if (!output.requiresGrad) {
      if (allowUnused) return inputs.map((input) => zero(input));
      throw new Error(
        'grad(): the output does not require grad, so it depends on none of the inputs along a path gradient can take ' +
          '(it is a constant, detached, or computed under noGrad()). Pass { allowUnused: true } to get zero gradients.',
      );
    }
    return runPass(output, seedFor(output, options.gradOutput, createGraph), createGraph, gradAlgebra, (pass) =>
      inputs.map((input, i) => {
        const g = pass.gradOf(input);
        if (g === undefined) return unused(input, i, allowUnused);
        if (g === null) return zero(input);
        return typeof g === 'number' ? new Value(g, CONSTANT) : (g as Differentiable);
      }),
    );
  })();
  return results as { [K in keyof I]: GradientOf<I[K]> };
}

const CONSTANT = { requiresGrad: false };

/** The seed of the pass: a number for a scalar output in a numeric pass, else a gradient object. */
function seedFor(
  output: Differentiable,
  gradOutput: number | Value | Tensor | undefined,
  createGraph: boolean,
): number | object {
  if (output instanceof Tensor) {
    if (gradOutput instanceof Tensor) {
      if (!sameShape(gradOutput.shape, output.shape))
        throw new RangeError(
          `grad(): gradOutput has shape ${formatShape(gradOutput.shape)}, but the output has shape ${formatShape(output.shape)}; they must match.`,
        );
      return gradOutput;
    }
    if (output.size !== 1)
      throw new Error(
        `grad(): the output has shape ${formatShape(output.shape)}; pass gradOutput (a Tensor of that shape), or reduce the output to one element.`,
      );
    const value = gradOutput === undefined ? 1 : typeof gradOutput === 'number' ? gradOutput : gradOutput.data;
    return full(output.shape, value, { dtype: output.dtype });
  }
  if (gradOutput instanceof Tensor)
    throw new TypeError('grad(): gradOutput must be a number or a Value for a Value output.');
  const value = gradOutput ?? 1;
  if (createGraph) return typeof value === 'number' ? new Value(value, CONSTANT) : value;
  return typeof value === 'number' ? value : value.data;
}

function zero(input: Differentiable): Differentiable {
  return input instanceof Tensor ? zerosLike(input) : new Value(0, CONSTANT);
}

function unused(input: Differentiable, index: number, allowUnused: boolean): Differentiable {
  if (allowUnused) return zero(input);
  throw new Error(
    `grad(): input ${index} is not used to compute the output along any path gradient can take ` +
      '(it may be detached, frozen, computed under noGrad(), or behind a stopGradient). ' +
      'Pass { allowUnused: true } to get a zero gradient for it; explainGrad(output, input) says where the path is cut.',
  );
}

function checkArguments(output: unknown, inputs: unknown, options: unknown): void {
  if (!(output instanceof Value) && !(output instanceof Tensor))
    throw new TypeError(`grad(output, inputs): output must be a Value or a Tensor, got ${describeForError(output)}.`);
  if (!Array.isArray(inputs))
    throw new TypeError(
      `grad(output, inputs): inputs must be an array of Values or Tensors, got ${describeForError(inputs)}.`,
    );
  inputs.forEach((input, i) => {
    if (!(input instanceof Value) && !(input instanceof Tensor))
      throw new TypeError(
        `grad(output, inputs): inputs[${i}] must be a Value or a Tensor, got ${describeForError(input)}.`,
      );
  });
  const { gradOutput, createGraph, allowUnused } = optionsObject(
    'grad(output, inputs, options)',
    options as GradOptions,
  );
  booleanOption('grad(output, inputs, options)', 'createGraph', createGraph, false);
  booleanOption('grad(output, inputs, options)', 'allowUnused', allowUnused, false);
  if (
    gradOutput !== undefined &&
    typeof gradOutput !== 'number' &&
    !(gradOutput instanceof Value) &&
    !(gradOutput instanceof Tensor)
  ) {
    throw new TypeError(
      `grad(): gradOutput must be a number, a Value or a Tensor, got ${describeForError(gradOutput)}.`,
    );
  }
}
