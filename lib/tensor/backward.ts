/** `Tensor.backward`: the same backward pass as `Value.backward`, seeded with a tensor gradient. */
import { backwardFrom, createGraphOption, type BackwardOptions } from '../autograd/backward';
import { describeForError } from '../engine/errors';
import { defineMethods } from './define';
import { full } from './create';
import { formatShape, sameShape } from './shape';
import { Tensor } from './tensor';

declare module './tensor' {
  interface Tensor {
    /**
     * Computes d(this)/d(leaf) for every leaf this tensor depends on and adds it to `.grad`
     * (as PyTorch: leaves, and non-leaves that called `retainGrad()`). `gradient` is
     * d(loss)/d(this): implicit 1 only for a one-element tensor. Calling it twice doubles every
     * `.grad` exactly; nothing changes if it throws. With `{ createGraph: true }`, `.grad`
     * carries a graph and can be differentiated again.
     *
     * @example
     * const x = tensor([3], { requiresGrad: true });
     * const y = x.mul(x);
     * y.detach_();
     * y.mul(x).sum().backward();
     * x.grad!.toArray();         // [9]
     */
    backward(gradient?: Tensor | number, options?: BackwardOptions): void;
  }
}

function backward(this: Tensor, gradient?: Tensor | number, options: BackwardOptions = {}): void {
  const createGraph = createGraphOption(options);
  let seed: Tensor;
  if (gradient === undefined || typeof gradient === 'number') {
    if (this.size !== 1) {
      throw new Error(
        `backward(): this tensor has shape ${formatShape(this.shape)}, and an implicit gradient of 1 exists only for a one-element output. ` +
          'Reduce it to a scalar first (loss.sum() or loss.mean()), or pass the gradient: t.backward(onesLike(t)).',
      );
    }
    seed = full(this.shape, gradient ?? 1, { dtype: this.dtype });
  } else if (gradient instanceof Tensor) {
    if (!sameShape(gradient.shape, this.shape)) throw new RangeError(`backward(gradient): gradient has shape ${formatShape(gradient.shape)}, but the tensor has shape ${formatShape(this.shape)}; they must match.`);
    seed = gradient;
  } else {
    throw new TypeError(`backward(gradient): expected a Tensor (or a number for a one-element tensor), got ${describeForError(gradient)}.`);
  }
  if (!this.requiresGrad) {
    throw new Error(
      'backward(): this Tensor does not require grad, so no gradient can flow from it. It is a constant, was detached, ' +
        'was computed under noGrad(), or none of its inputs requires grad. Create leaves with { requiresGrad: true }.',
    );
  }
  backwardFrom(this, seed, createGraph);
}

defineMethods({ backward });
