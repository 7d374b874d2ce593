/** `nn.Sequential`: modules applied in order, named '0', '1', ... (or by the names given), as PyTorch's. */
import { describeForError } from '../../engine/errors';
import { checkTensor } from '../../tensor/define';
import type { Tensor } from '../../tensor/tensor';
import type { Member } from '../module';
import { TensorModule } from './base';

/**
 * Applies its modules in order. Parameters are named by position as in PyTorch (`0.weight`,
 * `2.bias`), or by name when built from an object (`fc1.weight`).
 *
 * @example
 * const net = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 2));
 * net.namedParameters().map(([n]) => n);   // ['0.weight', '0.bias', '2.weight', '2.bias']
 * new nn.Sequential({ fc1: new nn.Linear(4, 2) }).namedParameters()[0][0];   // 'fc1.weight'
 */
export class Sequential extends TensorModule {
  private readonly named: [string, TensorModule][];

  constructor(...modules: TensorModule[] | [Record<string, TensorModule>]) {
    super();
    const [first] = modules;
    const byName =
      modules.length === 1 && !(first instanceof TensorModule) && typeof first === 'object' && first !== null;
    this.named = byName ? Object.entries(first) : (modules as TensorModule[]).map((m, i) => [String(i), m]);
    for (const [name, m] of this.named) {
      if (!(m instanceof TensorModule))
        throw new TypeError(
          `new nn.Sequential(...modules): module '${name}' must be a tensor module (nn.Linear, nn.ReLU, ...; an nn.Module subclass), got ${describeForError(m)}.`,
        );
    }
  }

  /** The modules in order. */
  get modules(): TensorModule[] {
    return this.named.map(([, m]) => m);
  }

  /** How many modules there are. */
  get length(): number {
    return this.named.length;
  }

  /**
   * The module at position `index` (negative counts from the end).
   *
   * @example
   * net.at(-1);   // the last layer
   */
  at(index: number): TensorModule {
    const m = this.named.at(index);
    if (m === undefined)
      throw new RangeError(`nn.Sequential.at(index): index ${index} is out of range for ${this.length} modules.`);
    return m[1];
  }

  /**
   * Adds `module` at the end, named by its position. Returns `this`.
   *
   * @example
   * net.append(new nn.Linear(2, 1));
   */
  append(module: TensorModule): this {
    if (!(module instanceof TensorModule))
      throw new TypeError(`nn.Sequential.append(module): expected a tensor module, got ${describeForError(module)}.`);
    this.named.push([String(this.named.length), module]);
    return this;
  }

  protected members(): Record<string, Member<Tensor>> {
    return Object.fromEntries(this.named);
  }

  forward(x: Tensor): Tensor {
    let h = checkTensor('nn.Sequential.forward', x);
    for (const [, m] of this.named) h = m.forward(h);
    return h;
  }
}
