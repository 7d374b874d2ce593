/** Stochastic gradient descent with momentum, dampening, Nesterov and weight decay: PyTorch's formulas. */
import type { Value } from '../engine/value';
import { booleanOption } from '../util/options';
import { Optimizer, checkHyper, checkNumberOrNull, checkStateEnvelope } from './optimizer';

/** Options for `SGD` (PyTorch's defaults). */
export interface SGDOptions {
  lr: number;
  momentum?: number;
  dampening?: number;
  weightDecay?: number;
  nesterov?: boolean;
}

/** `SGD.stateDict()`: the hyper-parameters and each parameter's momentum buffer (null before its first step). */
export interface SGDState {
  type: 'SGD';
  options: Required<SGDOptions>;
  perParameter: { momentumBuffer: number | null }[];
}

/**
 * SGD as PyTorch computes it: `g = grad + weightDecay*w`; with momentum,
 * `buf = g` on the first step, else `buf = momentum*buf + (1 - dampening)*g`, and
 * `g = nesterov ? g + momentum*buf : buf`; then `w -= lr*g`. Parameters that need no grad
 * are not touched.
 *
 * @example
 * const w = new Value(0.5);
 * const opt = new SGD([w], { lr: 0.1, momentum: 0.9 });
 * w.mul(w).backward(); opt.step();
 * w.data;                               // 0.4 (= 0.5 - 0.1 * 1)
 */
export class SGD extends Optimizer {
  /** The hyper-parameters, defaults filled in. */
  readonly options: Required<SGDOptions>;
  private buffers: (number | null)[];

  constructor(params: Iterable<Value>, options: SGDOptions) {
    super(params, 'SGD');
    if (typeof options !== 'object' || options === null)
      throw new TypeError('new SGD(params, options): options with at least { lr } is required.');
    const where = 'new SGD';
    this.options = {
      lr: checkHyper(where, 'lr', options.lr),
      momentum: checkHyper(where, 'momentum', options.momentum ?? 0),
      dampening: checkHyper(where, 'dampening', options.dampening ?? 0),
      weightDecay: checkHyper(where, 'weightDecay', options.weightDecay ?? 0),
      nesterov: booleanOption(where, 'nesterov', options.nesterov, false),
    };
    if (this.options.nesterov && (this.options.momentum <= 0 || this.options.dampening !== 0)) {
      throw new Error(`${where}: nesterov needs momentum > 0 and dampening 0.`);
    }
    this.buffers = this.params.map(() => null);
  }

  /**
   * One SGD update of every parameter that requires grad.
   *
   * @example
   * opt.zeroGrad(); loss.backward(); opt.step();
   */
  step(): void {
    const { lr, momentum, dampening, weightDecay, nesterov } = this.options;
    this.params.forEach((p, i) => {
      if (!p.requiresGrad) return;
      let g = p.grad;
      if (weightDecay !== 0) g = g + weightDecay * p.data;
      if (momentum !== 0) {
        const previous = this.buffers[i];
        const buf = previous === null ? g : momentum * previous + (1 - dampening) * g;
        this.buffers[i] = buf;
        g = nesterov ? g + momentum * buf : buf;
      }
      p.data = p.data + -lr * g;
    });
  }

  /**
   * The hyper-parameters and momentum buffers as plain JSON-safe data.
   *
   * @example
   * const saved = JSON.stringify(opt.stateDict());
   */
  stateDict(): SGDState {
    return {
      type: 'SGD',
      options: { ...this.options },
      perParameter: this.buffers.map((momentumBuffer) => ({ momentumBuffer })),
    };
  }

  /**
   * Restores `stateDict()` output (hyper-parameters and momentum buffers); invalid input changes nothing.
   *
   * @example
   * opt.loadStateDict(JSON.parse(saved));   // training continues bit-identically
   */
  loadStateDict(state: SGDState): void {
    const where = 'SGD.loadStateDict';
    const entries = checkStateEnvelope(where, state, 'SGD', this.params.length);
    const buffers = entries.map((entry, i) =>
      checkNumberOrNull(
        where,
        `perParameter[${i}].momentumBuffer`,
        (entry as { momentumBuffer?: unknown })?.momentumBuffer ?? null,
      ),
    );
    const options = new SGD(this.params, state.options).options;
    Object.assign(this.options, options);
    this.buffers = buffers;
  }
}
