/** `Tensor.backward`: the same backward pass as `Value.backward`, seeded with a tensor gradient. */
import { backwardFrom, createGraphOption, type BackwardOptions } from '../autograd/backward';
import { describeForError } from '../engine/errors';
import { full } from './create';
import { formatShape, sameShape } from './shape';
import { Tensor } from './tensor';

/** `t.backward(gradient, options)`. @internal */
export function backwardTensor(t: Tensor, gradient?: Tensor | number, options: BackwardOptions = {}): void {
  const createGraph = createGraphOption(options);
  let seed: Tensor;
  if (gradient === undefined || typeof gradient === 'number') {
    if (t.size !== 1) {
      throw new Error(
        `backward(): this tensor has shape ${formatShape(t.shape)}, and an implicit gradient of 1 exists only for a one-element output. ` +
          'Reduce it to a scalar first (loss.sum() or loss.mean()), or pass the gradient: t.backward(onesLike(t)).',
      );
    }
    seed = full(t.shape, gradient ?? 1, { dtype: t.dtype });
  } else if (gradient instanceof Tensor) {
    if (!sameShape(gradient.shape, t.shape))
      throw new RangeError(
        `backward(gradient): gradient has shape ${formatShape(gradient.shape)}, but the tensor has shape ${formatShape(t.shape)}; they must match.`,
      );
    seed = gradient;
  } else {
    throw new TypeError(
      `backward(gradient): expected a Tensor (or a number for a one-element tensor), got ${describeForError(gradient)}.`,
    );
  }
  if (!t.requiresGrad) {
    throw new Error(
      'backward(): this Tensor does not require grad, so no gradient can flow from it. It is a constant, was detached, ' +
        'was computed under noGrad(), or none of its inputs requires grad. Create leaves with { requiresGrad: true }.',
    );
  }
  backwardFrom(t, seed, createGraph);
}
