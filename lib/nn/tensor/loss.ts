/**
 * Loss modules (PyTorch's nn.CrossEntropyLoss and kin): each holds its options and calls the
 * loss function of the same name. They have no parameters; `forward(input, target)`.
 */
import {
  type CrossEntropyOptions,
  type Labels,
  type Reduction,
  binaryCrossEntropyWithLogits,
  crossEntropy,
  l1Loss,
  mseLoss,
  nllLoss,
} from '../../tensor/ops/loss';
import type { Tensor } from '../../tensor/tensor';
import { type Member, Module } from '../module';

/** A loss module: options kept, no parameters. */
abstract class Loss<Target, Options extends { reduction?: Reduction }> extends Module<Tensor> {
  constructor(readonly options: Readonly<Options>) {
    super();
  }

  protected members(): Record<string, Member<Tensor>> {
    return {};
  }

  protected override extraRepr(): string {
    return Object.entries(this.options)
      .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
      .join(', ');
  }

  /** The loss of `input` against `target`. */
  abstract forward(input: Tensor, target: Target): Tensor;

  /** Same as `forward(input, target)`. */
  call(input: Tensor, target: Target): Tensor {
    return this.forward(input, target);
  }
}

/**
 * `crossEntropy(logits, labels, options)` as a module.
 * @example new nn.CrossEntropyLoss({ labelSmoothing: 0.1 }).forward(logits, [3, 1]);
 */
export class CrossEntropyLoss extends Loss<Labels, CrossEntropyOptions> {
  constructor(options: CrossEntropyOptions = {}) {
    super(options);
  }
  forward(logits: Tensor, labels: Labels): Tensor {
    return crossEntropy(logits, labels, this.options);
  }
}

/**
 * `nllLoss(logProbs, labels, options)` as a module.
 * @example new nn.NLLLoss().forward(logits.logSoftmax(1), [3, 1]);
 */
export class NLLLoss extends Loss<Labels, { reduction?: Reduction }> {
  constructor(options: { reduction?: Reduction } = {}) {
    super(options);
  }
  forward(logProbs: Tensor, labels: Labels): Tensor {
    return nllLoss(logProbs, labels, this.options);
  }
}

/**
 * `mseLoss(prediction, target, options)` as a module.
 * @example new nn.MSELoss({ reduction: 'sum' }).forward(prediction, target);
 */
export class MSELoss extends Loss<Tensor, { reduction?: Reduction }> {
  constructor(options: { reduction?: Reduction } = {}) {
    super(options);
  }
  forward(prediction: Tensor, target: Tensor): Tensor {
    return mseLoss(prediction, target, this.options);
  }
}

/**
 * `l1Loss(prediction, target, options)` as a module.
 * @example new nn.L1Loss().forward(prediction, target);
 */
export class L1Loss extends Loss<Tensor, { reduction?: Reduction }> {
  constructor(options: { reduction?: Reduction } = {}) {
    super(options);
  }
  forward(prediction: Tensor, target: Tensor): Tensor {
    return l1Loss(prediction, target, this.options);
  }
}

/**
 * `binaryCrossEntropyWithLogits(logits, target, options)` as a module.
 * @example new nn.BCEWithLogitsLoss().forward(logits, target);
 */
export class BCEWithLogitsLoss extends Loss<Tensor, { reduction?: Reduction }> {
  constructor(options: { reduction?: Reduction } = {}) {
    super(options);
  }
  forward(logits: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropyWithLogits(logits, target, this.options);
  }
}
