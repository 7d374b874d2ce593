/**
 * `grad(output, inputs)`: gradients as return values (PyTorch's `torch.autograd.grad`),
 * without touching any `.grad` field; with `createGraph` they can be differentiated again.
 */
import { describeForError } from '../engine/errors';
import { withPass } from '../engine/graph';
import { withGraphPass } from '../engine/higher-order';
import type { NodeList } from '../engine/node-list';
import { Value } from '../engine/value';
import { booleanOption, optionsObject } from '../util/options';

/** Options for `grad`. */
export interface GradOptions {
  /** Return gradients that carry their own graph, so they can be differentiated again (default false). */
  createGraph?: boolean;
  /** Give an input the output does not depend on a zero gradient instead of throwing (default false). */
  allowUnused?: boolean;
  /** The gradient to start from, d(loss)/d(output) (default 1). A Value keeps its graph under createGraph. */
  gradOutput?: number | Value;
}

/**
 * d(output)/d(input) for each input, returned as Values; no `.grad` field is read or written.
 * Inputs may be leaves or interior nodes (the gradient flowing into that node). Gradient does
 * not flow through detached, frozen or no-grad nodes, at any order. An input the output does
 * not depend on (along such paths) throws, unless `allowUnused` gives it a zero gradient.
 * Without `createGraph` the results are constants; with it, they carry a graph.
 *
 * @example
 * const x = new Value(3);
 * const [dx] = grad(x.pow(3), [x], { createGraph: true });   // 3x^2 = 27, with a graph
 * const [dxx] = grad(dx, [x]);                                // 6x = 18
 * x.grad;                                                     // 0: untouched
 */
export function grad(output: Value, inputs: readonly Value[], options: GradOptions = {}): Value[] {
  checkArguments(output, inputs, options);
  const { createGraph = false, allowUnused = false } = options;
  const gradOutput = options.gradOutput ?? 1;
  if (!output.requiresGrad) {
    if (allowUnused) return inputs.map(() => zero());
    throw new Error(
      'grad(): the output does not require grad, so it depends on none of the inputs along a path gradient can take ' +
        '(it is a constant, detached, or computed under noGrad()). Pass { allowUnused: true } to get zero gradients.',
    );
  }
  if (!createGraph) {
    const seed = typeof gradOutput === 'number' ? gradOutput : gradOutput.data;
    return withPass(output, seed, (order, grads) =>
      inputs.map((input, i) => (reached(order, input) ? new Value(grads[input._slot], { requiresGrad: false }) : unused(i, allowUnused))),
    );
  }
  const seed = typeof gradOutput === 'number' ? new Value(gradOutput, { requiresGrad: false }) : gradOutput;
  return withGraphPass(output, seed, (order, grads) =>
    inputs.map((input, i) => {
      if (!reached(order, input)) return unused(i, allowUnused);
      return grads[input._slot] ?? zero();
    }),
  );
}

/** Whether the pass over `order` reached `input`. */
function reached(order: NodeList, input: Value): boolean {
  const slot = input._slot;
  return slot >= 0 && slot < order.length && order.get(slot) === input;
}

function zero(): Value {
  return new Value(0, { requiresGrad: false });
}

function unused(index: number, allowUnused: boolean): Value {
  if (allowUnused) return zero();
  throw new Error(
    `grad(): input ${index} is not used to compute the output along any path gradient can take ` +
      '(it may be detached, frozen, computed under noGrad(), or behind a stopGradient). ' +
      'Pass { allowUnused: true } to get a zero gradient for it; explainGrad(output, input) says where the path is cut.',
  );
}

function checkArguments(output: unknown, inputs: unknown, options: unknown): void {
  if (!(output instanceof Value)) throw new TypeError(`grad(output, inputs): output must be a Value, got ${describeForError(output)}.`);
  if (!Array.isArray(inputs)) throw new TypeError(`grad(output, inputs): inputs must be an array of Values, got ${describeForError(inputs)}.`);
  inputs.forEach((input, i) => {
    if (!(input instanceof Value)) throw new TypeError(`grad(output, inputs): inputs[${i}] must be a Value, got ${describeForError(input)}.`);
  });
  const { gradOutput, createGraph, allowUnused } = optionsObject('grad(output, inputs, options)', options as GradOptions);
  booleanOption('grad(output, inputs, options)', 'createGraph', createGraph, false);
  booleanOption('grad(output, inputs, options)', 'allowUnused', allowUnused, false);
  if (gradOutput !== undefined && typeof gradOutput !== 'number' && !(gradOutput instanceof Value)) {
    throw new TypeError(`grad(): gradOutput must be a number or a Value, got ${describeForError(gradOutput)}.`);
  }
}
