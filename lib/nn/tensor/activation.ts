/** Activation modules: `nn.ReLU`, `nn.Tanh`, `nn.Sigmoid`, `nn.LeakyReLU`, `nn.GELU`. */
import { describeForError } from '../../engine/errors';
import { checkTensor } from '../../tensor/define';
import { gelu } from '../../tensor/ops/erf';
import { leakyRelu, relu, sigmoid, tanh } from '../../tensor/ops/unary';
import type { Tensor } from '../../tensor/tensor';
import type { Member } from '../module';
import { TensorModule } from './base';

/** An activation: no parameters, one elementwise function. */
abstract class Activation extends TensorModule {
  protected members(): Record<string, Member<Tensor>> {
    return {};
  }
}

/**
 * max(x, 0).
 * @example new nn.ReLU().forward(tensor([-1, 2])).toArray();   // [0, 2]
 */
export class ReLU extends Activation {
  forward(x: Tensor): Tensor {
    return relu(checkTensor('nn.ReLU.forward', x));
  }
}

/**
 * tanh(x).
 * @example new nn.Tanh().forward(tensor([0])).toArray();   // [0]
 */
export class Tanh extends Activation {
  forward(x: Tensor): Tensor {
    return tanh(checkTensor('nn.Tanh.forward', x));
  }
}

/**
 * 1 / (1 + e^-x).
 * @example new nn.Sigmoid().forward(tensor([0])).toArray();   // [0.5]
 */
export class Sigmoid extends Activation {
  forward(x: Tensor): Tensor {
    return sigmoid(checkTensor('nn.Sigmoid.forward', x));
  }
}

/**
 * x where x > 0, else negativeSlope·x (default slope 0.01, PyTorch's).
 * @example new nn.LeakyReLU(0.2).forward(tensor([-1, 2])).toArray();   // [-0.2, 2] (to float32 rounding)
 */
export class LeakyReLU extends Activation {
  constructor(readonly negativeSlope = 0.01) {
    super();
    if (typeof negativeSlope !== 'number' || !Number.isFinite(negativeSlope))
      throw new TypeError(
        `new nn.LeakyReLU(negativeSlope): expected a finite number, got ${describeForError(negativeSlope)}.`,
      );
  }

  protected override extraRepr(): string {
    return `negativeSlope=${this.negativeSlope}`;
  }

  forward(x: Tensor): Tensor {
    return leakyRelu(checkTensor('nn.LeakyReLU.forward', x), this.negativeSlope);
  }
}

/**
 * x·Φ(x), Φ the standard normal CDF (PyTorch's nn.GELU); `approximate: 'tanh'` uses
 * 0.5·x·(1 + tanh(sqrt(2/π)·(x + 0.044715·x³))).
 * @example new nn.GELU().forward(tensor([1])).item();   // 0.8413447 (to float32 rounding)
 */
export class GELU extends Activation {
  readonly approximate: 'none' | 'tanh';

  constructor(options: { approximate?: 'none' | 'tanh' } = {}) {
    super();
    const approximate = options?.approximate ?? 'none';
    if (approximate !== 'none' && approximate !== 'tanh')
      throw new TypeError(
        `new nn.GELU({ approximate }): approximate must be 'none' or 'tanh', got ${describeForError(approximate)}.`,
      );
    this.approximate = approximate;
  }

  protected override extraRepr(): string {
    return this.approximate === 'none' ? '' : `approximate='tanh'`;
  }

  forward(x: Tensor): Tensor {
    return gelu(checkTensor('nn.GELU.forward', x), this.approximate);
  }
}
