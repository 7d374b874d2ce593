/** `nn.Linear`, `nn.Flatten` and `nn.Identity`: the affine map and the shape-only modules. */
import { mm } from '../../tensor/ops/matmul';
import { flatten, reshape } from '../../tensor/ops/shape';
import { tagForExport } from '../../tensor/trace';
import { checkTensor } from '../../tensor/define';
import { formatShape } from '../../tensor/shape';
import type { Tensor } from '../../tensor/tensor';
import type { Member } from '../module';
import { type ParameterOptions, TensorModule, checkCount, initOptions, uniformParameter } from './base';

/** Options of `nn.Linear`. */
export interface LinearOptions extends ParameterOptions {
  /** Whether to add a learned bias (default true). */
  bias?: boolean;
}

/**
 * y = x Wᵀ + b over the last dimension of x (PyTorch's nn.Linear): weight [out, in], bias [out],
 * both initialised from U(±1/sqrt(in)) as PyTorch does.
 *
 * @example
 * const fc = new nn.Linear(784, 128, { seed: 0 });
 * fc.forward(zeros([64, 784])).shape;   // [64, 128]
 */
export class Linear extends TensorModule {
  /** [outFeatures, inFeatures]. */
  weight: Tensor;
  /** [outFeatures], or null without a bias. */
  bias: Tensor | null;
  readonly inFeatures: number;
  readonly outFeatures: number;

  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    super();
    const where = 'new nn.Linear(inFeatures, outFeatures, options)';
    this.inFeatures = checkCount(where, 'inFeatures', inFeatures);
    this.outFeatures = checkCount(where, 'outFeatures', outFeatures);
    const { rng, dtype } = initOptions(where, options);
    const bound = 1 / Math.sqrt(inFeatures);
    this.weight = uniformParameter([outFeatures, inFeatures], bound, rng, dtype);
    this.bias = options.bias === false ? null : uniformParameter([outFeatures], bound, rng, dtype);
  }

  protected members(): Record<string, Member<Tensor>> {
    return this.bias === null ? { weight: this.weight } : { weight: this.weight, bias: this.bias };
  }

  protected override extraRepr(): string {
    return `${this.inFeatures} -> ${this.outFeatures}${this.bias === null ? ', no bias' : ''}`;
  }

  /**
   * x [..., inFeatures] to [..., outFeatures].
   *
   * @example
   * new nn.Linear(3, 2).forward(ones([3])).shape;   // [2]
   */
  forward(x: Tensor): Tensor {
    checkTensor('nn.Linear.forward', x);
    if (x.ndim === 0 || x.shape[x.ndim - 1] !== this.inFeatures)
      throw new RangeError(
        `nn.Linear.forward(x): x's last dimension must be inFeatures = ${this.inFeatures}, got x of shape ${formatShape(x.shape)} (weight ${formatShape(this.weight.shape)}).`,
      );
    // x as [1, rows, in] times weightᵀ read in place (no transposed copy), then back to x's leading shape.
    const rows = x.size / this.inFeatures;
    const product = mm(
      reshape(x, [1, rows, this.inFeatures]),
      reshape(this.weight, [1, this.outFeatures, this.inFeatures]),
      false,
      true,
    );
    const y = reshape(product, [...x.shape.slice(0, -1), this.outFeatures]);
    return tagForExport(this.bias === null ? y : y.add(this.bias), 'Linear', [x, this.weight, this.bias]);
  }
}

/**
 * Flattens dimensions `startDim` to `endDim` into one (default 1 to -1: everything but the
 * batch dimension), as PyTorch's nn.Flatten.
 *
 * @example
 * new nn.Flatten().forward(zeros([64, 32, 5, 5])).shape;   // [64, 800]
 */
export class Flatten extends TensorModule {
  constructor(
    readonly startDim = 1,
    readonly endDim = -1,
  ) {
    super();
    if (!Number.isInteger(startDim) || !Number.isInteger(endDim))
      throw new TypeError(`new nn.Flatten(startDim, endDim): both must be integers, got ${startDim} and ${endDim}.`);
  }

  protected members(): Record<string, Member<Tensor>> {
    return {};
  }

  protected override extraRepr(): string {
    return `${this.startDim}, ${this.endDim}`;
  }

  forward(x: Tensor): Tensor {
    checkTensor('nn.Flatten.forward', x);
    return flatten(x, this.startDim, this.endDim);
  }
}

/**
 * Returns its input (PyTorch's nn.Identity): a placeholder, e.g. for a removed head.
 *
 * @example
 * new nn.Identity().forward(tensor([1, 2])).toArray();   // [1, 2]
 */
export class Identity extends TensorModule {
  protected members(): Record<string, Member<Tensor>> {
    return {};
  }

  forward(x: Tensor): Tensor {
    return checkTensor('nn.Identity.forward', x);
  }
}
