/**
 * `Value.prototype.backward`: the entry point of a backward pass, numeric or graph-building.
 * Installed on the prototype (like the ops) so that the node class stays free of the
 * scheduling code it delegates to.
 */
import { describeForError } from './errors';
import { withPass } from './graph';
import { withGraphPass } from './higher-order';
import { extrasOf } from './extras';
import { Value } from './value';

/** Options for `value.backward(gradient, options)`. */
export interface BackwardOptions {
  /**
   * Also record the backward pass as a graph: every node reached gets `gradValue`, its gradient
   * as a Value that can be differentiated again (`.grad` is filled as usual). Default false.
   */
  createGraph?: boolean;
}

declare module './value' {
  interface Value {
    /**
     * Computes d(this)/d(node) for every node of the graph that requires grad and adds it,
     * times `gradient`, to `node.grad`. Each node's rule runs once, after all of its
     * consumers; only this pass's gradient propagates, so calling it twice doubles every
     * `.grad` exactly. Nothing is written to any `.grad` if the pass throws (e.g. in a hook).
     * With `{ createGraph: true }` each reached node also gets `gradValue`, its gradient with a
     * graph of its own (see `Value.gradValue`).
     *
     * @example
     * const x = new Value(3);
     * const y = x.mul(x);
     * y.detach_();               // y is now the constant 9
     * y.mul(x).backward();
     * x.grad;                    // 9 (27 without the detach_)
     */
    backward(gradient?: number, options?: BackwardOptions): void;
  }
}

function backward(this: Value, gradient: number = 1, options: BackwardOptions = {}): void {
  if (typeof gradient !== 'number') {
    throw new TypeError(`backward(gradient): expected a number, got ${describeForError(gradient)}.`);
  }
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`backward(gradient, options): options must be an object such as { createGraph: true }, got ${describeForError(options)}.`);
  }
  if (!this.requiresGrad) {
    throw new Error(
      'backward(): this Value does not require grad, so no gradient can flow from it. ' +
        'It is a constant, was detached, was computed under noGrad(), or all its inputs need no grad. ' +
        'Compute it from leaves that require grad (new Value(x) does by default; ' +
        'leaf.requiresGrad_() turns it back on), outside noGrad().',
    );
  }
  if (options.createGraph === true) {
    withGraphPass(this, new Value(gradient, { requiresGrad: false }), (order, grads) => {
      for (let i = 0; i < order.length; i++) {
        const grad = grads[i];
        if (grad === null) continue;
        const node = order.get(i);
        const extras = extrasOf(node);
        const previous = extras.gradValue ?? (node.grad !== 0 ? new Value(node.grad, { requiresGrad: false }) : null);
        extras.gradValue = previous === null ? grad : previous.add(grad);
        node.grad += grad.data;
      }
    });
    return;
  }
  withPass(this, gradient, (order, grads) => {
    for (let i = 0; i < order.length; i++) {
      const node = order.get(i);
      node.grad += grads[i];
      // Keep a graph-carrying gradient in step with .grad (gradValue.data === grad).
      if (node._extras !== null && node._extras.gradValue !== null) node._extras.gradValue = node._extras.gradValue.add(grads[i]);
    }
  });
}

Object.defineProperty(Value.prototype, 'backward', { value: backward, writable: true, configurable: true, enumerable: false });
