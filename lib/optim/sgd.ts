/** Stochastic gradient descent with momentum, dampening, Nesterov and weight decay: PyTorch's formulas. */
import type { TypedArray } from '../backends/backend';
import { Tensor } from '../tensor/tensor';
import { booleanOption, optionsObject } from '../util/options';
import { Optimizer, type Parameter, type ParamGroupInput, checkHyper, checkStateEnvelope } from './optimizer';
import { type SavedGroup, applyGroups, loadEntry, loadGroups, saveEntry, saveGroups } from './state';
import { liveGrad, sgdInWasm, sgdTensor, stateBuffer } from './tensor-update';

/** Options for `SGD` (PyTorch's defaults). */
export interface SGDOptions {
  lr: number;
  momentum?: number;
  dampening?: number;
  weightDecay?: number;
  nesterov?: boolean;
}

/**
 * `SGD.stateDict()`: the default hyper-parameters, each group's, and each parameter's momentum
 * buffer (a number for a Value, an array for a Tensor; null before its first step).
 */
export interface SGDState {
  type: 'SGD';
  options: Required<SGDOptions>;
  paramGroups?: SavedGroup<SGDOptions>[];
  perParameter: { momentumBuffer: number | number[] | null }[];
}

/**
 * SGD as PyTorch computes it: `g = grad + weightDecay*w`; with momentum,
 * `buf = g` on the first step, else `buf = momentum*buf + (1 - dampening)*g`, and
 * `g = nesterov ? g + momentum*buf : buf`; then `w -= lr*g`. Works on Values and Tensors
 * (updated in place under `noGrad`, in float32 for float32 tensors). Parameters that need no
 * grad, and Tensors whose grad is null, are not touched. Pass groups
 * `[{ params, lr, ... }, ...]` for per-group options.
 *
 * @example
 * const w = new Value(0.5);
 * const opt = new SGD([w], { lr: 0.1, momentum: 0.9 });
 * w.mul(w).backward(); opt.step();
 * w.data;                               // 0.4 (= 0.5 - 0.1 * 1)
 */
export class SGD extends Optimizer<SGDOptions> {
  private buffers: (number | TypedArray | null)[];

  constructor(params: Iterable<Parameter> | Iterable<ParamGroupInput<SGDOptions>>, options: SGDOptions) {
    super(params, options, 'SGD', checkSgdOptions);
    this.buffers = this.params.map(() => null);
  }

  /**
   * One SGD update of every parameter that requires grad.
   *
   * @example
   * opt.zeroGrad(); loss.backward(); opt.step();
   */
  step(): void {
    // Plain loops over numbers and typed arrays: no op runs, so nothing records and no grad
    // mode is needed (a noGrad callback here made the scalar MLP step 15% slower).
    let i = 0;
    for (const group of this.paramGroups) {
      const { lr, momentum, dampening, weightDecay, nesterov } = group;
      for (const p of group.params) {
        const at = i++;
        if (p instanceof Tensor) {
          const g = liveGrad(p);
          if (g === null) continue;
          const previous = this.buffers[at] as TypedArray | null;
          const buf = momentum === 0 ? null : (previous ?? stateBuffer(p));
          if (!sgdInWasm(p, buf, previous === null, group)) sgdTensor(p, g, buf, previous === null, group);
          this.buffers[at] = buf;
          continue;
        }
        if (!p.requiresGrad) continue;
        let g = p.grad;
        if (weightDecay !== 0) g = g + weightDecay * p.data;
        if (momentum !== 0) {
          const previous = this.buffers[at] as number | null;
          const buf = previous === null ? g : momentum * previous + (1 - dampening) * g;
          this.buffers[at] = buf;
          g = nesterov ? g + momentum * buf : buf;
        }
        p.data = p.data + -lr * g;
      }
    }
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
      paramGroups: saveGroups(this.paramGroups, this.params),
      perParameter: this.buffers.map((b) => ({ momentumBuffer: saveEntry(b) })),
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
      loadEntry(
        where,
        `perParameter[${i}].momentumBuffer`,
        (entry as { momentumBuffer?: unknown })?.momentumBuffer ?? null,
        this.params[i],
      ),
    );
    const options = checkSgdOptions(where, state.options);
    const groups = loadGroups(where, state, this.paramGroups, checkSgdOptions);
    Object.assign(this.options, options);
    applyGroups(this.paramGroups, groups);
    this.buffers = buffers;
  }

  /** @internal */
  protected addState(params: Parameter[]): void {
    for (let i = 0; i < params.length; i++) this.buffers.push(null);
  }
}

function checkSgdOptions(where: string, options: SGDOptions): Required<SGDOptions> {
  if (typeof options !== 'object' || options === null)
    throw new TypeError(`${where}(params, options): options with at least { lr } is required.`);
  optionsObject(where, options);
  const checked = {
    lr: checkHyper(where, 'lr', options.lr),
    momentum: checkHyper(where, 'momentum', options.momentum ?? 0),
    dampening: checkHyper(where, 'dampening', options.dampening ?? 0),
    weightDecay: checkHyper(where, 'weightDecay', options.weightDecay ?? 0),
    nesterov: booleanOption(where, 'nesterov', options.nesterov, false),
  };
  if (checked.nesterov && (checked.momentum <= 0 || checked.dampening !== 0)) {
    throw new Error(`${where}: nesterov needs momentum > 0 and dampening 0.`);
  }
  return checked;
}
