/**
 * The shared part of every optimiser: the parameters (scalar `Value`s and `Tensor`s alike),
 * validated once and split into parameter groups with their own hyper-parameters (PyTorch's
 * `param_groups`), `zeroGrad`, and the checks used by `loadStateDict`. A parameter that does
 * not require grad (or a Tensor whose `.grad` is null) is skipped by `step()` entirely: no
 * update, no weight decay, and its optimiser state does not advance.
 */
import { describeForError } from '../engine/errors';
import { Value } from '../engine/value';
import { INSPECT, summarizeOptimizer } from '../nn/summary';
import { Tensor } from '../tensor/tensor';
import type { Parameter } from '../nn/walk';

/** What an optimiser updates: a scalar `Value` or a `Tensor` leaf (the type `Module` uses). */
export type { Parameter };

/** One parameter group as passed in: its parameters and any options that differ from the defaults. */
export type ParamGroupInput<O> = { params: Iterable<Parameter> } & Partial<O>;

/** One parameter group as the optimiser keeps it: its parameters and its own hyper-parameters (writable). */
export type ParamGroup<O> = { params: Parameter[] } & Required<O>;

/**
 * The base of `SGD`, `Adam` and `AdamW`.
 *
 * @example
 * const opt = new SGD(model.parameters(), { lr: 0.1 });
 * opt.zeroGrad(); loss.backward(); opt.step();
 */
export abstract class Optimizer<O extends object = object> {
  /** Every parameter, in the order given (groups one after the other). */
  readonly params: readonly Parameter[];
  /**
   * The parameter groups; each group's hyper-parameters are read at every `step()`, so
   * `opt.paramGroups[0].lr = 1e-4` changes the rate (as schedules do).
   */
  readonly paramGroups: ParamGroup<O>[];
  /** The defaults filled in (PyTorch's `defaults`): what a group gets for the options it leaves out. */
  readonly options: Required<O>;

  /**
   * @param params an iterable of parameters, or of groups `{ params, ...options }`
   * @param check fills in and validates the options of a group
   */
  constructor(
    params: Iterable<Parameter> | Iterable<ParamGroupInput<O>>,
    options: O,
    name: string,
    private readonly check: (where: string, options: O) => Required<O>,
  ) {
    const where = `new ${name}`;
    if (
      params === null ||
      params === undefined ||
      typeof (params as Iterable<unknown>)[Symbol.iterator] !== 'function'
    ) {
      throw new TypeError(
        `${where}(params): params must be an iterable of Values or Tensors (e.g. model.parameters()) or of groups { params, ...options }, got ${describeForError(params)}.`,
      );
    }
    const items = [...(params as Iterable<unknown>)];
    if (items.length === 0) throw new Error(`${where}(params): params is empty; pass model.parameters().`);
    this.options = check(where, options);
    const isGroup = (x: unknown) => typeof x === 'object' && x !== null && 'params' in x && !isParameter(x);
    const groups: ParamGroupInput<O>[] = items.every(isGroup)
      ? (items as ParamGroupInput<O>[])
      : [{ params: items as Parameter[] } as unknown as ParamGroupInput<O>];
    const seen = new Set<Parameter>();
    const all: Parameter[] = [];
    this.paramGroups = groups.map((group, g) => {
      const at = groups.length > 1 || items.every(isGroup) ? `params[${g}].params` : 'params';
      if (!isGroup(group))
        throw new TypeError(
          `${where}(params): params[${g}] must be a group { params, ...options } like the others, got ${describeForError(group)}.`,
        );
      const list = checkParamList(`${where}(params)`, at, group.params, seen);
      all.push(...list);
      const { params: _, ...own } = group;
      return {
        ...check(`${where}: ${at === 'params' ? 'options' : `params[${g}]`}`, { ...this.options, ...own }),
        params: list,
      };
    });
    this.params = all;
  }

  /**
   * Updates every parameter that requires grad from its `.grad`; frozen ones are skipped.
   *
   * @example
   * loss.backward(); opt.step();
   */
  abstract step(): void;

  /**
   * Resets the gradient of every parameter (a Value's `.grad` to 0, a Tensor's to null).
   *
   * @example
   * opt.zeroGrad(); loss.backward(); opt.step();
   */
  zeroGrad(): void {
    for (const p of this.params) p.zeroGrad();
  }

  /**
   * Adds a parameter group (PyTorch's `add_param_group`), e.g. a new head to fine-tune.
   *
   * @example
   * opt.addParamGroup({ params: head.parameters(), lr: 1e-2 });
   */
  addParamGroup(group: ParamGroupInput<O>): void {
    const where = `${this.constructor.name}.addParamGroup(group)`;
    if (typeof group !== 'object' || group === null || !('params' in group))
      throw new TypeError(`${where}: group must be { params, ...options }, got ${describeForError(group)}.`);
    const list = checkParamList(where, 'group.params', group.params, new Set(this.params));
    const { params: _, ...own } = group;
    const filled = { ...this.check(where, { ...this.options, ...own }), params: list };
    this.paramGroups.push(filled);
    (this.params as Parameter[]).push(...list);
    this.addState(list);
  }

  /** @internal Makes fresh optimiser state for parameters added by `addParamGroup`. */
  protected abstract addState(params: Parameter[]): void;

  /**
   * The optimiser's type, hyperparameters and parameter count (never the parameters themselves).
   *
   * @example
   * String(new SGD(new MLP(2, [1]).parameters(), { lr: 0.1 }));   // 'SGD(lr=0.1, momentum=0, ...; 3 parameters)'
   */
  toString(): string {
    return summarizeOptimizer(this);
  }

  /** @internal Node's printing hook (the REPL, console.log). */
  [INSPECT](): string {
    return summarizeOptimizer(this);
  }
}

function isParameter(x: unknown): x is Parameter {
  return x instanceof Value || x instanceof Tensor;
}

function checkParamList(where: string, at: string, params: unknown, seen: Set<Parameter>): Parameter[] {
  if (params === null || params === undefined || typeof (params as Iterable<unknown>)[Symbol.iterator] !== 'function')
    throw new TypeError(`${where}: ${at} must be an iterable of Values or Tensors, got ${describeForError(params)}.`);
  const list = [...(params as Iterable<unknown>)];
  list.forEach((p, i) => {
    if (!isParameter(p))
      throw new TypeError(`${where}: ${at}[${i}] must be a Value or a Tensor, got ${describeForError(p)}.`);
    if (p instanceof Tensor && !p.isLeaf)
      throw new Error(`${where}: ${at}[${i}] is not a leaf (made by '${p.op}'); optimise leaves (parameters) only.`);
    if (seen.has(p)) throw new Error(`${where}: ${at}[${i}] appears twice; each parameter may be listed once.`);
    seen.add(p);
  });
  return list as Parameter[];
}

/** Throws unless `x` is a finite number >= `min` (and < `below` if given). */
export function checkHyper(where: string, name: string, x: unknown, min = 0, below = Infinity): number {
  if (typeof x !== 'number' || !Number.isFinite(x) || x < min || x >= below) {
    const range = below === Infinity ? `>= ${min}` : `in [${min}, ${below})`;
    throw new RangeError(`${where}: ${name} must be a finite number ${range}, got ${describeForError(x)}.`);
  }
  return x;
}

/** Validates a saved state's envelope: the optimiser type and one entry per parameter. */
export function checkStateEnvelope(where: string, state: unknown, type: string, count: number): unknown[] {
  if (typeof state !== 'object' || state === null)
    throw new TypeError(`${where}: state must be an object from stateDict(), got ${describeForError(state)}.`);
  const { type: savedType, perParameter } = state as { type?: unknown; perParameter?: unknown };
  if (savedType !== type) throw new Error(`${where}: the state is for ${describeForError(savedType)}, not ${type}.`);
  if (!Array.isArray(perParameter) || perParameter.length !== count) {
    throw new Error(
      `${where}: the state has ${Array.isArray(perParameter) ? perParameter.length : 'no'} per-parameter entries; this optimiser has ${count} parameters.`,
    );
  }
  return perParameter;
}

/** Throws unless `x` is a number or null (an entry of a saved state). */
export function checkNumberOrNull(where: string, name: string, x: unknown): number | null {
  if (x !== null && typeof x !== 'number')
    throw new TypeError(`${where}: ${name} must be a number or null, got ${describeForError(x)}.`);
  return x;
}
