/**
 * The shared part of every optimiser: the parameter list (validated once), `zeroGrad`, and
 * the checks used by `loadStateDict`. A parameter that does not require grad is skipped by
 * `step()` entirely: no update, no weight decay, and its optimiser state does not advance.
 */
import { describeForError } from '../engine/errors';
import { Value } from '../engine/value';
import { INSPECT, summarizeOptimizer } from '../nn/summary';

/**
 * The base of `SGD`, `Adam` and `AdamW`.
 *
 * @example
 * const opt = new SGD(model.parameters(), { lr: 0.1 });
 * opt.zeroGrad(); loss.backward(); opt.step();
 */
export abstract class Optimizer {
  /** The parameters, in the order given. */
  readonly params: readonly Value[];

  constructor(params: Iterable<Value>, name: string) {
    if (params === null || params === undefined || typeof params[Symbol.iterator] !== 'function') {
      throw new TypeError(
        `new ${name}(params): params must be an iterable of Values (e.g. model.parameters()), got ${describeForError(params)}.`,
      );
    }
    const list = [...params];
    if (list.length === 0) throw new Error(`new ${name}(params): params is empty; pass model.parameters().`);
    const seen = new Set<Value>();
    list.forEach((p, i) => {
      if (!(p instanceof Value))
        throw new TypeError(`new ${name}(params): params[${i}] must be a Value, got ${describeForError(p)}.`);
      if (seen.has(p))
        throw new Error(`new ${name}(params): params[${i}] appears twice; each parameter may be listed once.`);
      seen.add(p);
    });
    this.params = list;
  }

  /**
   * Updates every parameter that requires grad from its `.grad`; frozen ones are skipped.
   *
   * @example
   * loss.backward(); opt.step();
   */
  abstract step(): void;

  /**
   * Resets `.grad` of every parameter to 0.
   *
   * @example
   * opt.zeroGrad(); loss.backward(); opt.step();
   */
  zeroGrad(): void {
    for (const p of this.params) p.zeroGrad();
  }

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
