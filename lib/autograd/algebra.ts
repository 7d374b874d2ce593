/**
 * How gradient objects combine, handed to the backward pass (which knows no op): scalar
 * gradients under createGraph are Values added with the `add` op; tensor gradients are
 * Tensors, which carry their own methods (a Tensor exists only once its module is loaded, so
 * a scalar-only program never loads the tensor engine).
 */
import type { GradAlgebra } from '../engine/graph';
import type { GraphNode } from '../engine/node';
import { Value } from '../engine/value';
import { add } from '../ops/arithmetic';
import type { Tensor } from '../tensor/tensor';

const CONSTANT = { requiresGrad: false };

/** The algebra every backward pass uses. @internal */
export const gradAlgebra: GradAlgebra = {
  add: (a, b) => (a instanceof Value ? add(a, b as Value) : (a as Tensor).add(b as Tensor)),
  scatter: (node: GraphNode, indices, grads) => (node as Tensor)._scatterGrad(indices, grads),
  scalar: (x) => new Value(x, CONSTANT),
  numberOf: (grad) => (grad as Value).data,
  allFinite: (grad) =>
    typeof grad === 'number'
      ? Number.isFinite(grad)
      : grad instanceof Value
        ? Number.isFinite(grad.data)
        : (grad as Tensor)._allFinite(),
  hookResult: (node, returned) => (node as Tensor)._checkHookResult(returned),
};
