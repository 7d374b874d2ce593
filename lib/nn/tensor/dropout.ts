/** `nn.Dropout`: seeded inverted dropout, the identity in eval mode. */
import type { Rng } from '../../data/random';
import { describeForError } from '../../engine/errors';
import { checkTensor } from '../../tensor/define';
import { zeros } from '../../tensor/create';
import { mul } from '../../tensor/ops/arithmetic';
import type { Tensor } from '../../tensor/tensor';
import type { Member } from '../module';
import { TensorModule, initOptions } from './base';

/** Options of `nn.Dropout`. */
export interface DropoutOptions {
  /** Random source of the masks (default: the `nn` generator, see `nn.manualSeed`). */
  rng?: Rng;
  /** Shorthand for `rng: seededRng(seed)`. */
  seed?: number;
}

/**
 * In training mode, zeroes each element with probability `p` and scales the rest by 1/(1-p)
 * (PyTorch's nn.Dropout); in eval mode returns its input. The mask is drawn from the layer's
 * random source, one draw per element in row-major order (element kept when the draw is >= p).
 *
 * @example
 * const drop = new nn.Dropout(0.5, { seed: 1 });
 * drop.forward(ones([4])).toArray();          // each element 0 or 2
 * drop.eval().forward(ones([4])).toArray();   // [1, 1, 1, 1]
 */
export class Dropout extends TensorModule {
  private readonly rng: Rng;

  constructor(
    readonly p = 0.5,
    options: DropoutOptions = {},
  ) {
    super();
    if (typeof p !== 'number' || !(p >= 0 && p <= 1))
      throw new RangeError(`new nn.Dropout(p): p must be a probability in [0, 1], got ${describeForError(p)}.`);
    this.rng = initOptions('new nn.Dropout(p, options)', options).rng;
  }

  protected members(): Record<string, Member<Tensor>> {
    return {};
  }

  protected override extraRepr(): string {
    return `p=${this.p}`;
  }

  forward(x: Tensor): Tensor {
    checkTensor('nn.Dropout.forward', x);
    if (!this.training || this.p === 0) return x;
    const mask = zeros(x.shape, { dtype: x.dtype });
    const data = mask._data;
    if (this.p < 1) {
      const scale = 1 / (1 - this.p);
      for (let i = 0; i < data.length; i++) data[i] = this.rng() >= this.p ? scale : 0;
    }
    return mul(x, mask);
  }
}
