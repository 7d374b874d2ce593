/**
 * `Module`: the base of every model, scalar or tensor. A module lists its parameters and
 * submodules by name (explicitly, in `members()`: no reflection over fields), and its buffers
 * (state that is not trained, such as BatchNorm's running statistics) in `ownBuffers()`. That
 * gives stable dotted names such as `layers.0.neurons.3.w.1` or PyTorch's `0.weight`, and on
 * top of them freezing, zeroing, train/eval modes and state dicts.
 */
import { Tensor } from '../tensor/tensor';
import { INSPECT, summarizeModule } from './summary';
import { type StateDict, buildState, loadState } from './state';
import { type Parameter, type Walkable, walk } from './walk';

export type { Parameter } from './walk';
export type { StateDict, StateEntry } from './state';

/** What a module is made of: parameters of type P and submodules, alone or in lists. */
export type Member<P extends Parameter = import('../engine/value').Value> = P | AnyModule | readonly (P | AnyModule)[];

/** A module with any kind of parameters. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModule = Module<any>;

function isModule(x: unknown): x is Walkable {
  return x instanceof Module;
}

/**
 * The base of every model: subclasses list their parameters and submodules in `members()`
 * (and buffers in `ownBuffers()`), and get parameter listing, freezing, zeroing, train/eval
 * modes and state dicts. `P` is the parameter type: `Value` (the default) for scalar models,
 * `Tensor` for tensor models (the `nn` layers), `Value | Tensor` for mixed ones.
 *
 * @example
 * class Affine extends Module {
 *   w = new Value(1);
 *   b = new Value(0);
 *   protected members() { return { w: this.w, b: this.b }; }
 * }
 * new Affine().namedParameters().map(([name]) => name);   // ['w', 'b']
 */
export abstract class Module<P extends Parameter = import('../engine/value').Value> {
  /**
   * Whether the module is in training mode (the default) or evaluation mode: Dropout and
   * BatchNorm behave differently. Set it with `train()` and `eval()`, which set it on every submodule.
   */
  training = true;

  /** The module's parameters and submodules by name, in a stable order. */
  protected abstract members(): Record<string, Member<P>>;

  /** The module's own buffers by name: tensors in its state dict that are not parameters (default none). */
  protected ownBuffers(): Record<string, Tensor> {
    return {};
  }

  /** The sizes and settings shown in the module's printed form, e.g. `'2 -> 16, relu'` (PyTorch's extra_repr). */
  protected extraRepr(): string {
    return '';
  }

  /**
   * The module tree with sizes and parameter counts; identical children print once.
   *
   * @example
   * String(new MLP(2, [16, 1])).split('\n')[0];   // 'MLP(2 -> 16 -> 1; 65 parameters)'
   */
  toString(): string {
    return summarizeModule(this);
  }

  /** @internal Node's printing hook (the REPL, console.log): the short tree, not every field. */
  [INSPECT](): string {
    return summarizeModule(this);
  }

  /**
   * Every parameter with its dotted name, depth first in `members()` order. A parameter or
   * submodule reachable twice (weight tying, a back-reference, a cycle) is listed once, under
   * its first name. Throws a TypeError for a member name that is empty or contains '.', since
   * two parameters could then share one dotted name.
   *
   * @example
   * new MLP(2, [3, 1]).namedParameters()[0][0];   // 'layers.0.neurons.0.w.0'
   */
  namedParameters(): [string, P][] {
    const named: [string, P][] = [];
    walk(this as unknown as Walkable, isModule, { parameter: (name, p) => named.push([name, p as P]) });
    return named;
  }

  /**
   * Every parameter, in `namedParameters()` order.
   *
   * @example
   * new MLP(2, [16, 16, 1]).parameters().length;   // 337
   */
  parameters(): P[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /**
   * Every buffer (state that is not a parameter, such as BatchNorm's `running_mean`) with its dotted name.
   *
   * @example
   * new nn.BatchNorm1d(4).namedBuffers().map(([name]) => name);   // ['running_mean', 'running_var', 'num_batches_tracked']
   */
  namedBuffers(): [string, Tensor][] {
    const named: [string, Tensor][] = [];
    walk(this as unknown as Walkable, isModule, { buffer: (name, b) => named.push([name, b]) });
    return named;
  }

  /**
   * Every buffer, in `namedBuffers()` order.
   *
   * @example
   * new nn.BatchNorm2d(8).buffers().length;   // 3
   */
  buffers(): Tensor[] {
    return this.namedBuffers().map(([, b]) => b);
  }

  /**
   * This module (named '') and every submodule with its dotted name, depth first.
   *
   * @example
   * new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU()).namedModules().map(([n]) => n);   // ['', '0', '1']
   */
  namedModules(): [string, AnyModule][] {
    const named: [string, AnyModule][] = [];
    walk(this as unknown as Walkable, isModule, { module: (name, m) => named.push([name, m as unknown as AnyModule]) });
    return named;
  }

  /**
   * Resets `.grad` of every parameter (to 0 for a Value, to null for a Tensor, as PyTorch's
   * `zero_grad(set_to_none=True)`): gradients accumulate until then.
   *
   * @example
   * model.zeroGrad(); loss.backward(); opt.step();
   */
  zeroGrad(): void {
    for (const p of this.parameters()) p.zeroGrad();
  }

  /**
   * Freezes every parameter (`requiresGrad_(false)`): no gradient reaches them and optimisers
   * leave them alone, so the module is a fixed feature extractor. Returns `this`.
   *
   * @example
   * const body = new MLP(2, [8, 8]).freeze();
   * body.parameters().every((p) => !p.requiresGrad);   // true
   */
  freeze(): this {
    for (const p of this.parameters()) p.requiresGrad_(false);
    return this;
  }

  /**
   * Unfreezes every parameter (`requiresGrad_(true)`), so gradient reaches them again. Returns `this`.
   *
   * @example
   * model.layers[0].unfreeze();       // progressive unfreezing, one layer at a time
   */
  unfreeze(): this {
    for (const p of this.parameters()) p.requiresGrad_(true);
    return this;
  }

  /**
   * Sets training mode (`mode` true, the default) or evaluation mode on this module and every
   * submodule. Returns `this`. Freezing is separate: eval() does not stop gradients.
   *
   * @example
   * const net = new nn.Sequential(new nn.Dropout(0.5)).eval();
   * net.training;                     // false
   */
  train(mode = true): this {
    if (typeof mode !== 'boolean')
      throw new TypeError(`Module.train(mode): mode must be a boolean, got ${typeof mode}. Use eval() for false.`);
    for (const [, m] of this.namedModules()) m.training = mode;
    return this;
  }

  /**
   * Sets evaluation mode on this module and every submodule (`train(false)`): Dropout passes
   * its input through, BatchNorm uses its running statistics. Returns `this`.
   *
   * @example
   * model.eval(); const logits = model.call(x); model.train();
   */
  eval(): this {
    return this.train(false);
  }

  /**
   * Every parameter's and buffer's value by dotted name: a number for a Value, a Tensor for a
   * Tensor. Tensor entries are copies (a snapshot that later training leaves unchanged; PyTorch's
   * share storage). Parameters come first in each module, then its buffers.
   *
   * @example
   * Object.keys(new Neuron(2).stateDict());            // ['w.0', 'w.1', 'b']
   * Object.keys(new nn.Linear(2, 3).stateDict());      // ['weight', 'bias']
   */
  stateDict(): StateDict<P> {
    return buildState(this.stateEntries()) as StateDict<P>;
  }

  /**
   * Sets every parameter and buffer from `state` (as `stateDict()` returns it). The names must
   * match exactly, a Value's entry must be a number and a Tensor's a Tensor of the same shape
   * (any dtype; it is converted); otherwise it throws an Error naming the first mismatch and
   * changes nothing.
   *
   * @example
   * const copy = new MLP(2, [4, 1]);
   * copy.loadStateDict(model.stateDict());   // copy now computes what model does
   */
  loadStateDict(state: StateDict<P>): void {
    loadState(this.stateEntries(), state);
  }

  /** Parameters and buffers in state dict order. @internal */
  stateEntries(): [string, Parameter][] {
    const entries: [string, Parameter][] = [];
    walk(this as unknown as Walkable, isModule, {
      parameter: (name, p) => entries.push([name, p]),
      buffer: (name, b) => entries.push([name, b]),
    });
    return entries;
  }
}
