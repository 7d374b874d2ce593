/**
 * `Module`: the base of every model. A module lists its parameters and submodules by name
 * (explicitly, in `members()`: no reflection over fields), which gives stable dotted names
 * such as `layers.0.neurons.3.w.1`, and on top of them freezing, zeroing and state dicts.
 */
import { describeForError } from '../engine/errors';
import { Value } from '../engine/value';
import { INSPECT, summarizeModule } from './summary';

/** What a module is made of: parameters and submodules, alone or in lists. */
export type Member = Value | Module | readonly (Value | Module)[];

/**
 * The base of every model: subclasses list their parameters and submodules in `members()`, and
 * get parameter listing, freezing, zeroing and state dicts.
 *
 * @example
 * class Affine extends Module {
 *   w = new Value(1);
 *   b = new Value(0);
 *   protected members() { return { w: this.w, b: this.b }; }
 * }
 * new Affine().namedParameters().map(([name]) => name);   // ['w', 'b']
 */
export abstract class Module {
  /** The module's parameters and submodules by name, in a stable order. */
  protected abstract members(): Record<string, Member>;

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
   * Every parameter with its dotted name, depth first in `members()` order. A parameter
   * reachable twice is listed once, under its first name.
   *
   * @example
   * new MLP(2, [3, 1]).namedParameters()[0][0];   // 'layers.0.neurons.0.w.0'
   */
  namedParameters(): [string, Value][] {
    const named: [string, Value][] = [];
    const seen = new Set<Value>();
    const visit = (prefix: string, member: Member): void => {
      if (member instanceof Value) {
        if (!seen.has(member)) {
          seen.add(member);
          named.push([prefix, member]);
        }
      } else if (member instanceof Module) {
        for (const [name, child] of Object.entries(member.members())) visit(prefix === '' ? name : `${prefix}.${name}`, child);
      } else {
        member.forEach((child, i) => visit(`${prefix}.${i}`, child));
      }
    };
    visit('', this);
    return named;
  }

  /**
   * Every parameter, in `namedParameters()` order.
   *
   * @example
   * new MLP(2, [16, 16, 1]).parameters().length;   // 337
   */
  parameters(): Value[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /**
   * Resets `.grad` of every parameter to 0 (gradients accumulate until then).
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
   * Every parameter's value by dotted name.
   *
   * @example
   * Object.keys(new Neuron(2).stateDict());   // ['w.0', 'w.1', 'b']
   */
  stateDict(): Record<string, number> {
    const state: Record<string, number> = {};
    for (const [name, p] of this.namedParameters()) state[name] = p.data;
    return state;
  }

  /**
   * Sets every parameter from `state` (as `stateDict()` returns it). The names must match
   * exactly and every value must be a number; otherwise it throws an Error naming the first
   * mismatch and changes nothing.
   *
   * @example
   * const copy = new MLP(2, [4, 1]);
   * copy.loadStateDict(model.stateDict());   // copy now computes what model does
   */
  loadStateDict(state: Record<string, number>): void {
    if (typeof state !== 'object' || state === null || Array.isArray(state)) {
      throw new TypeError(`loadStateDict(state): state must be an object of numbers by parameter name, got ${describeForError(state)}.`);
    }
    const named = this.namedParameters();
    const expected = new Set(named.map(([name]) => name));
    for (const [name] of named) {
      if (!Object.prototype.hasOwnProperty.call(state, name)) throw new Error(`loadStateDict: parameter '${name}' is missing from the state.`);
      const value = state[name];
      if (typeof value !== 'number') throw new TypeError(`loadStateDict: parameter '${name}' must be a number, got ${describeForError(value)}.`);
    }
    for (const name of Object.keys(state)) {
      if (!expected.has(name)) throw new Error(`loadStateDict: the state has '${name}', which is not a parameter of this module.`);
    }
    for (const [name, p] of named) p.data = state[name];
  }
}
