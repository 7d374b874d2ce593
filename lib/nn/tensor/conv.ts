/** `nn.Conv2d`, `nn.MaxPool2d` and `nn.AvgPool2d` over NCHW tensors, as PyTorch's. */
import { describeForError } from '../../engine/errors';
import { checkTensor } from '../../tensor/define';
import { type Conv2dOptions, type Pair, conv2d, pair } from '../../tensor/ops/conv';
import { type AvgPool2dOptions, type MaxPool2dOptions, avgPool2d, maxPool2d } from '../../tensor/ops/pool';
import type { Tensor } from '../../tensor/tensor';
import type { Member } from '../module';
import { type ParameterOptions, TensorModule, checkCount, initOptions, uniformParameter } from './base';

/** Options of `nn.Conv2d`: F.conv2d's (stride, padding, dilation, groups) and the layer's. */
export interface Conv2dLayerOptions extends Conv2dOptions, ParameterOptions {
  /** Whether to add a learned bias per output channel (default true). */
  bias?: boolean;
}

function formatPair(p: readonly [number, number]): string {
  return p[0] === p[1] ? String(p[0]) : `[${p[0]}, ${p[1]}]`;
}

/**
 * 2-D convolution layer (PyTorch's nn.Conv2d): weight [out, in / groups, kh, kw] and bias
 * [out], initialised from U(±1/sqrt(fan_in)), fan_in = in / groups · kh · kw, as PyTorch does.
 *
 * @example
 * const conv = new nn.Conv2d(1, 16, 3, { padding: 1, seed: 0 });
 * conv.forward(zeros([8, 1, 28, 28])).shape;   // [8, 16, 28, 28]
 */
export class Conv2d extends TensorModule {
  /** [outChannels, inChannels / groups, kh, kw]. */
  weight: Tensor;
  /** [outChannels], or null without a bias. */
  bias: Tensor | null;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: [number, number];
  /** The options passed to conv2d on every call (stride, padding, dilation, groups). */
  readonly options: Readonly<Conv2dOptions>;

  constructor(inChannels: number, outChannels: number, kernelSize: Pair, options: Conv2dLayerOptions = {}) {
    super();
    const where = 'new nn.Conv2d(inChannels, outChannels, kernelSize, options)';
    this.inChannels = checkCount(where, 'inChannels', inChannels);
    this.outChannels = checkCount(where, 'outChannels', outChannels);
    this.kernelSize = pair('nn.Conv2d', 'kernelSize', kernelSize, [1, 1], 1);
    const { rng, dtype } = initOptions(where, options);
    const groups = options.groups ?? 1;
    checkCount(where, 'groups', groups);
    if (inChannels % groups !== 0 || outChannels % groups !== 0)
      throw new RangeError(
        `${where}: inChannels (${inChannels}) and outChannels (${outChannels}) must both be divisible by groups (${groups}).`,
      );
    const { stride, padding, dilation } = options;
    this.options = { stride, padding, dilation, groups };
    const [kh, kw] = this.kernelSize;
    const bound = 1 / Math.sqrt((inChannels / groups) * kh * kw);
    this.weight = uniformParameter([outChannels, inChannels / groups, kh, kw], bound, rng, dtype);
    this.bias = options.bias === false ? null : uniformParameter([outChannels], bound, rng, dtype);
  }

  protected members(): Record<string, Member<Tensor>> {
    return this.bias === null ? { weight: this.weight } : { weight: this.weight, bias: this.bias };
  }

  protected override extraRepr(): string {
    const { stride, padding, dilation, groups } = this.options;
    const parts = [`${this.inChannels} -> ${this.outChannels}`, `kernel ${formatPair(this.kernelSize)}`];
    if (stride !== undefined) parts.push(`stride ${JSON.stringify(stride)}`);
    if (padding !== undefined) parts.push(`padding ${JSON.stringify(padding)}`);
    if (dilation !== undefined) parts.push(`dilation ${JSON.stringify(dilation)}`);
    if (groups !== 1) parts.push(`groups ${groups}`);
    if (this.bias === null) parts.push('no bias');
    return parts.join(', ');
  }

  /**
   * x [N, inChannels, H, W] (or [inChannels, H, W]) to [N, outChannels, oh, ow].
   *
   * @example
   * new nn.Conv2d(3, 8, 3, { stride: 2 }).forward(zeros([1, 3, 9, 9])).shape;   // [1, 8, 4, 4]
   */
  forward(x: Tensor): Tensor {
    checkTensor('nn.Conv2d.forward', x);
    return conv2d(x, this.weight, this.bias, this.options);
  }
}

/** Options of `nn.MaxPool2d` and `nn.AvgPool2d`. */
export type PoolOptions = MaxPool2dOptions & AvgPool2dOptions;

abstract class Pool extends TensorModule {
  constructor(
    readonly kernelSize: Pair,
    readonly options: Readonly<PoolOptions>,
  ) {
    super();
    if (typeof options !== 'object' || options === null)
      throw new TypeError(
        `new nn.${this.constructor.name}(kernelSize, options): options must be an object, got ${describeForError(options)}.`,
      );
    pair(`new nn.${this.constructor.name}`, 'kernelSize', kernelSize, [1, 1], 1);
  }

  protected members(): Record<string, Member<Tensor>> {
    return {};
  }

  protected override extraRepr(): string {
    const parts = [`kernel ${JSON.stringify(this.kernelSize)}`];
    for (const [key, value] of Object.entries(this.options))
      if (value !== undefined) parts.push(`${key} ${JSON.stringify(value)}`);
    return parts.join(', ');
  }
}

/**
 * Max pooling (PyTorch's nn.MaxPool2d): stride defaults to the kernel size.
 *
 * @example
 * new nn.MaxPool2d(2).forward(zeros([8, 16, 28, 28])).shape;   // [8, 16, 14, 14]
 */
export class MaxPool2d extends Pool {
  constructor(kernelSize: Pair, options: MaxPool2dOptions = {}) {
    super(kernelSize, options);
  }

  forward(x: Tensor): Tensor {
    checkTensor('nn.MaxPool2d.forward', x);
    return maxPool2d(x, this.kernelSize, this.options);
  }
}

/**
 * Average pooling (PyTorch's nn.AvgPool2d, padding counted in each average): stride defaults to the kernel size.
 *
 * @example
 * new nn.AvgPool2d(2).forward(ones([1, 1, 4, 4])).toArray();   // [[[[1, 1], [1, 1]]]]
 */
export class AvgPool2d extends Pool {
  constructor(kernelSize: Pair, options: AvgPool2dOptions = {}) {
    super(kernelSize, options);
  }

  forward(x: Tensor): Tensor {
    checkTensor('nn.AvgPool2d.forward', x);
    return avgPool2d(x, this.kernelSize, this.options);
  }
}
