/**
 * `backward()`: the entry point of a backward pass for every node kind. It runs one pass from
 * the root and adds each reached node's gradient to its `.grad`: every scalar node (as
 * micrograd does), and, as in PyTorch, every tensor leaf and tensor that asked with
 * `retainGrad()`. Nothing is written if the pass throws.
 */
import { describeForError } from '../engine/errors';
import { runPass } from '../engine/graph';
import { passMemory, userCode } from '../engine/hooks';
import type { GraphNode } from '../engine/node';
import { extrasOf } from '../engine/node';
import { Value } from '../engine/value';
import { add } from '../ops/arithmetic';
import type { Tensor } from '../tensor/tensor';
import { gradAlgebra } from './algebra';

/** Options for `backward(gradient, options)`. */
export interface BackwardOptions {
  /**
   * Also record the backward pass as a graph, so gradients can be differentiated again: a
   * Value gets `gradValue`, its gradient as a Value with a graph (`.grad` is filled as usual);
   * a Tensor's `.grad` is itself a Tensor with a graph. Default false.
   */
  createGraph?: boolean;
}

/** Checks `options` and returns whether it asks for createGraph. @internal */
export function createGraphOption(options: unknown): boolean {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      `backward(gradient, options): options must be an object such as { createGraph: true }, got ${describeForError(options)}.`,
    );
  }
  const { createGraph } = options as BackwardOptions;
  if (createGraph !== undefined && typeof createGraph !== 'boolean') {
    throw new TypeError(
      `backward(gradient, { createGraph }): expected a boolean, got ${describeForError(createGraph)}.`,
    );
  }
  return createGraph === true;
}

/** Runs a pass from `root` seeded with `seed` and accumulates every gradient into its node. @internal */
export function backwardFrom(root: GraphNode, seed: number | object, createGraph: boolean): void {
  // On wasm, a numeric pass frees the buffers it allocated except the .grad it leaves, unless
  // user code (a hook, a custom op) saw gradients (lib/backends/wasm/README.md).
  const memory = createGraph ? null : passMemory.current;
  const before = userCode.count;
  const began = memory !== null && memory.begin();
  try {
    accumulatePass(root, seed, createGraph, before);
  } finally {
    if (memory !== null) memory.end(began, userCode.count === before);
  }
}

function accumulatePass(root: GraphNode, seed: number | object, createGraph: boolean, userCodeBefore: number): void {
  runPass(root, seed, createGraph, gradAlgebra, (pass) => {
    const { numbers, objects } = pass;
    // No hook or custom op saw this pass's gradients: a .grad it leaves has no other holder.
    const exclusive = userCode.count === userCodeBefore;
    for (let i = 0; i < pass.length; i++) {
      const node = pass.node(i);
      const object = objects === null ? null : objects[i];
      if (node instanceof Value) {
        if (object !== null) accumulateGraph(node, object as Value);
        else if (!createGraph) accumulateNumber(node, numbers[i]);
      } else if (object !== null) {
        (node as Tensor)._accumulateGrad(object as Tensor, exclusive);
      }
    }
  });
}

function accumulateNumber(node: Value, grad: number): void {
  node.grad += grad;
  // Keep a graph-carrying gradient in step with .grad (gradValue.data === grad).
  if (node._extras !== null && node._extras.gradValue !== null)
    node._extras.gradValue = add(node._extras.gradValue as Value, grad);
}

function accumulateGraph(node: Value, grad: Value): void {
  const extras = extrasOf(node);
  const previous =
    (extras.gradValue as Value | null) ?? (node.grad !== 0 ? new Value(node.grad, { requiresGrad: false }) : null);
  extras.gradValue = previous === null ? grad : add(previous, grad);
  node.grad += grad.data;
}

/**
 * Computes d(this)/d(node) for every node of the graph that requires grad and adds it,
 * times `gradient`, to `node.grad`. Each node's rule runs once, after all of its consumers;
 * only this pass's gradient propagates, so calling it twice doubles every `.grad` exactly.
 * Nothing is written to any `.grad` if the pass throws (e.g. in a hook). With
 * `{ createGraph: true }` each reached node also gets `gradValue`, its gradient with a graph
 * of its own (see `Value.gradValue`).
 *
 * @example
 * const x = new Value(3);
 * const y = x.mul(x);
 * y.detach_();               // y is now the constant 9
 * y.mul(x).backward();
 * x.grad;                    // 9 (27 without the detach_)
 */
function backward(this: Value, gradient: number = 1, options: BackwardOptions = {}): void {
  if (typeof gradient !== 'number') {
    throw new TypeError(`backward(gradient): expected a number, got ${describeForError(gradient)}.`);
  }
  const createGraph = createGraphOption(options);
  if (!this.requiresGrad) {
    throw new Error(
      'backward(): this Value does not require grad, so no gradient can flow from it. ' +
        'It is a constant, was detached, was computed under noGrad(), or all its inputs need no grad. ' +
        'Compute it from leaves that require grad (new Value(x) does by default; ' +
        'leaf.requiresGrad_() turns it back on), outside noGrad().',
    );
  }
  backwardFrom(this, createGraph ? new Value(gradient, { requiresGrad: false }) : gradient, createGraph);
}

declare module '../engine/value' {
  interface Value {
    /** See `backward` in lib/autograd/backward.ts: fills `.grad` of every node this one depends on. */
    backward(gradient?: number, options?: BackwardOptions): void;
  }
}

Object.defineProperty(Value.prototype, 'backward', {
  value: backward,
  writable: true,
  configurable: true,
  enumerable: false,
});
