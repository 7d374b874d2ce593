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
   * Every parameter with its dotted name, depth first in `members()` order. A parameter or
   * submodule reachable twice (weight tying, a back-reference, a cycle) is listed once, under
   * its first name. Throws a TypeError for a member name that is empty or contains '.', since
   * two parameters could then share one dotted name.
   *
   * @example
   * new MLP(2, [3, 1]).namedParameters()[0][0];   // 'layers.0.neurons.0.w.0'
   */
  namedParameters(): [string, Value][] {
    const named: [string, Value][] = [];
    const seen = new Set<Value | Module>();
    // An explicit stack (children pushed in reverse): module trees may be deep, and a cycle must end.
    const stack: [string, Member][] = [['', this]];
    while (stack.length > 0) {
      const [prefix, member] = stack.pop()!;
      if (member instanceof Value || member instanceof Module) {
        if (seen.has(member)) continue;
        seen.add(member);
      }
      if (member instanceof Value) {
        named.push([prefix, member]);
      } else if (member instanceof Module) {
        const children = Object.entries(member.members());
        for (let i = children.length - 1; i >= 0; i--) {
          const [name, child] = children[i];
          checkMemberName(member, name);
          stack.push([prefix === '' ? name : `${prefix}.${name}`, child]);
        }
      } else {
        for (let i = member.length - 1; i >= 0; i--) stack.push([`${prefix}.${i}`, member[i]]);
      }
    }
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
    for (const [name, p] of this.namedParameters()) setOwn(state, name, p.data);
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
      throw new TypeError(
        `loadStateDict(state): state must be an object of numbers by parameter name, got ${describeForError(state)}.`,
      );
    }
    const named = this.namedParameters();
    const expected = new Set(named.map(([name]) => name));
    // Each value is read exactly once: a getter or Proxy cannot pass the check and then change.
    const values: number[] = [];
    for (const [name] of named) {
      if (!Object.prototype.hasOwnProperty.call(state, name))
        throw new Error(`loadStateDict: parameter '${name}' is missing from the state.`);
      const value: unknown = state[name];
      if (typeof value !== 'number')
        throw new TypeError(`loadStateDict: parameter '${name}' must be a number, got ${describeForError(value)}.`);
      values.push(value);
    }
    for (const name of Object.keys(state)) {
      if (!expected.has(name))
        throw new Error(`loadStateDict: the state has '${name}', which is not a parameter of this module.`);
    }
    named.forEach(([, p], i) => {
      p.data = values[i];
    });
  }
}

/** Refuses a member name that would make dotted parameter names ambiguous. */
function checkMemberName(module: Module, name: string): void {
  if (name === '' || name.includes('.')) {
    throw new TypeError(
      `${module.constructor.name}.members(): member name ${JSON.stringify(name)} ${name === '' ? 'is empty' : "contains '.'"}; ` +
        `parameter names are joined with '.', so two parameters could share one name. Rename the member (e.g. ${JSON.stringify(name.replace(/\./g, '_') || 'weight')}).`,
    );
  }
}

/** Sets an own, enumerable property, even one named "__proto__". @internal */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}
