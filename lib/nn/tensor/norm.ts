/**
 * Normalisation layers: `nn.BatchNorm1d`, `nn.BatchNorm2d` (batch statistics in training,
 * running statistics in eval; the running buffers are state, not parameters) and `nn.LayerNorm`.
 */
import type { DType } from '../../backends/backend';
import { describeForError } from '../../engine/errors';
import { noGrad } from '../../engine/modes';
import { zeros } from '../../tensor/create';
import { checkTensor } from '../../tensor/define';
import { formatShape } from '../../tensor/shape';
import { tagForExport } from '../../tensor/trace';
import type { Tensor } from '../../tensor/tensor';
import type { Member } from '../module';
import { TensorModule, checkCount, filledParameter } from './base';

/** Options of `nn.BatchNorm1d`/`nn.BatchNorm2d`, PyTorch's defaults. */
export interface BatchNormOptions {
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
  /** Weight of the new batch statistic in the running ones (default 0.1); null for a cumulative average. */
  momentum?: number | null;
  /** Learned per-channel scale (weight, starts at 1) and shift (bias, starts at 0) (default true). */
  affine?: boolean;
  /** Keep running statistics and use them in eval mode (default true); false uses batch statistics always. */
  trackRunningStats?: boolean;
  /** Parameters' and buffers' dtype (default 'float32'). */
  dtype?: DType;
}

function checkEps(where: string, eps: unknown): number {
  if (typeof eps !== 'number' || !(eps >= 0) || !Number.isFinite(eps))
    throw new RangeError(`${where}: eps must be a finite number >= 0, got ${describeForError(eps)}.`);
  return eps;
}

/** The batch norm shared by 1-d and 2-d: normalises over every axis but the channel axis 1. */
abstract class BatchNorm extends TensorModule {
  weight: Tensor | null;
  bias: Tensor | null;
  /** Running mean per channel (a buffer), or null without `trackRunningStats`. */
  readonly runningMean: Tensor | null;
  /** Running unbiased variance per channel (a buffer), or null without `trackRunningStats`. */
  readonly runningVar: Tensor | null;
  /** How many training batches updated the running statistics (a 0-d buffer). */
  readonly numBatchesTracked: Tensor | null;
  readonly eps: number;
  readonly momentum: number | null;

  constructor(
    readonly numFeatures: number,
    options: BatchNormOptions,
    private readonly ranks: readonly number[],
  ) {
    super();
    const where = `new nn.${this.constructor.name}(numFeatures, options)`;
    checkCount(where, 'numFeatures', numFeatures);
    if (typeof options !== 'object' || options === null)
      throw new TypeError(`${where}: options must be an object, got ${describeForError(options)}.`);
    const { eps = 1e-5, momentum = 0.1, affine = true, trackRunningStats = true, dtype = 'float32' } = options;
    this.eps = checkEps(where, eps);
    if (momentum !== null && (typeof momentum !== 'number' || !(momentum >= 0 && momentum <= 1)))
      throw new RangeError(`${where}: momentum must be a number in [0, 1] or null, got ${describeForError(momentum)}.`);
    this.momentum = momentum;
    this.weight = affine ? filledParameter([numFeatures], 1, dtype) : null;
    this.bias = affine ? filledParameter([numFeatures], 0, dtype) : null;
    this.runningMean = trackRunningStats ? zeros([numFeatures], { dtype }) : null;
    this.runningVar = trackRunningStats ? zeros([numFeatures], { dtype }).fill_(1) : null;
    this.numBatchesTracked = trackRunningStats ? zeros([], { dtype }) : null;
  }

  protected members(): Record<string, Member<Tensor>> {
    return this.weight === null || this.bias === null ? {} : { weight: this.weight, bias: this.bias };
  }

  protected override ownBuffers(): Record<string, Tensor> {
    if (this.runningMean === null || this.runningVar === null || this.numBatchesTracked === null) return {};
    // PyTorch's names, so state dicts line up with PyTorch's.
    return {
      running_mean: this.runningMean,
      running_var: this.runningVar,
      num_batches_tracked: this.numBatchesTracked,
    };
  }

  protected override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}`;
  }

  forward(x: Tensor): Tensor {
    const name = `nn.${this.constructor.name}.forward`;
    checkTensor(name, x);
    if (!this.ranks.includes(x.ndim) || x.shape[1] !== this.numFeatures)
      throw new RangeError(
        `${name}(x): x must have ${this.ranks.join(' or ')} dimensions with ${this.numFeatures} channels in dimension 1, got shape ${formatShape(x.shape)}.`,
      );
    const axes = x.shape.map((_, i) => i).filter((i) => i !== 1);
    const perChannel = x.shape.map((d, i) => (i === 1 ? d : 1));
    const useBatch = this.training || this.runningMean === null;
    let normalised: Tensor;
    if (useBatch) {
      const count = x.size / this.numFeatures;
      if (this.training && count < 2)
        throw new RangeError(
          `${name}(x): training needs more than 1 value per channel to take a variance, got shape ${formatShape(x.shape)}.`,
        );
      const mean = x.mean(axes, true);
      const centred = x.sub(mean);
      const variance = centred.mul(centred).mean(axes, true);
      normalised = centred.div(variance.add(this.eps).sqrt());
      if (this.training && this.runningMean !== null) this.track(mean, variance, count);
    } else {
      const mean = this.runningMean.reshape(perChannel);
      const std = this.runningVar!.add(this.eps).sqrt().reshape(perChannel);
      normalised = x.sub(mean).div(std);
    }
    if (this.weight === null || this.bias === null) return normalised;
    const out = normalised.mul(this.weight.reshape(perChannel)).add(this.bias.reshape(perChannel));
    if (useBatch) return out;
    const inputs = [x, this.weight, this.bias, this.runningMean, this.runningVar];
    return tagForExport(out, 'BatchNormalization', inputs, { epsilon: this.eps });
  }

  /** Running statistics: (1 - m)·running + m·batch, the variance unbiased (n / (n - 1)), as PyTorch. */
  private track(mean: Tensor, variance: Tensor, count: number): void {
    noGrad(() => {
      const tracked = this.numBatchesTracked!.add_(1);
      const m = this.momentum ?? 1 / tracked.item();
      const c = this.numFeatures;
      this.runningMean!.mul_(1 - m).add_(mean.detach().reshape([c]).mul(m));
      this.runningVar!.mul_(1 - m).add_(
        variance
          .detach()
          .reshape([c])
          .mul((m * count) / (count - 1)),
      );
    });
  }
}

/**
 * Batch normalisation over [N, C] or [N, C, L] (PyTorch's nn.BatchNorm1d).
 *
 * @example
 * const bn = new nn.BatchNorm1d(4);
 * bn.forward(randn([8, 4], { rng: seededRng(0) })).shape;   // [8, 4]
 * Object.keys(bn.stateDict());   // ['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']
 */
export class BatchNorm1d extends BatchNorm {
  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super(numFeatures, options, [2, 3]);
  }
}

/**
 * Batch normalisation over [N, C, H, W] (PyTorch's nn.BatchNorm2d).
 *
 * @example
 * const bn = new nn.BatchNorm2d(16);
 * bn.eval();   // now uses running_mean and running_var
 */
export class BatchNorm2d extends BatchNorm {
  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super(numFeatures, options, [4]);
  }
}

/** Options of `nn.LayerNorm`. */
export interface LayerNormOptions {
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
  /** Learned elementwise scale (starts at 1) and shift (starts at 0) (default true). */
  elementwiseAffine?: boolean;
  /** With elementwiseAffine, whether to learn the shift (default true). */
  bias?: boolean;
  /** Parameters' dtype (default 'float32'). */
  dtype?: DType;
}

/**
 * Normalises over the last dimensions, `normalizedShape` (PyTorch's nn.LayerNorm): the same in
 * training and eval, with the biased variance.
 *
 * @example
 * new nn.LayerNorm(8).forward(randn([2, 8], { rng: seededRng(0) })).mean(-1).toArray();   // about [0, 0]
 */
export class LayerNorm extends TensorModule {
  readonly normalizedShape: number[];
  readonly eps: number;
  weight: Tensor | null;
  bias: Tensor | null;

  constructor(normalizedShape: number | readonly number[], options: LayerNormOptions = {}) {
    super();
    const where = 'new nn.LayerNorm(normalizedShape, options)';
    const shape = typeof normalizedShape === 'number' ? [normalizedShape] : normalizedShape;
    if (!Array.isArray(shape) || shape.length === 0)
      throw new TypeError(
        `${where}: normalizedShape must be a size or a non-empty array of sizes, got ${describeForError(normalizedShape)}.`,
      );
    shape.forEach((d, i) => checkCount(where, `normalizedShape[${i}]`, d));
    this.normalizedShape = shape.slice();
    const { eps = 1e-5, elementwiseAffine = true, bias = true, dtype = 'float32' } = options;
    this.eps = checkEps(where, eps);
    this.weight = elementwiseAffine ? filledParameter(this.normalizedShape, 1, dtype) : null;
    this.bias = elementwiseAffine && bias ? filledParameter(this.normalizedShape, 0, dtype) : null;
  }

  protected members(): Record<string, Member<Tensor>> {
    const out: Record<string, Member<Tensor>> = {};
    if (this.weight !== null) out.weight = this.weight;
    if (this.bias !== null) out.bias = this.bias;
    return out;
  }

  protected override extraRepr(): string {
    return `${formatShape(this.normalizedShape)}, eps=${this.eps}`;
  }

  forward(x: Tensor): Tensor {
    checkTensor('nn.LayerNorm.forward', x);
    const k = this.normalizedShape.length;
    const tail = x.shape.slice(x.ndim - k);
    if (x.ndim < k || tail.some((d, i) => d !== this.normalizedShape[i]))
      throw new RangeError(
        `nn.LayerNorm.forward(x): x's last dimensions must be ${formatShape(this.normalizedShape)}, got shape ${formatShape(x.shape)}.`,
      );
    const axes = Array.from({ length: k }, (_, i) => x.ndim - k + i);
    const centred = x.sub(x.mean(axes, true));
    const variance = centred.mul(centred).mean(axes, true);
    let y = centred.div(variance.add(this.eps).sqrt());
    if (this.weight !== null) y = y.mul(this.weight);
    if (this.bias !== null) y = y.add(this.bias);
    return y;
  }
}
