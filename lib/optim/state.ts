/**
 * Saving and restoring optimiser state as plain JSON-safe data: the parameter groups'
 * hyper-parameters (with the indices of their parameters), and per-parameter entries that are
 * a number for a Value and an array of numbers (or null before the first step) for a Tensor.
 */
import type { TypedArray } from '../backends/backend';
import { describeForError } from '../engine/errors';
import { Tensor } from '../tensor/tensor';
import type { Parameter, ParamGroup } from './optimizer';

/** One saved parameter group: its hyper-parameters and the indices (into `params`) of its parameters. */
export type SavedGroup<O> = Required<O> & { params: number[] };

/** The groups as JSON-safe data (arrays copied). @internal */
export function saveGroups<O>(groups: readonly ParamGroup<O>[], all: readonly Parameter[]): SavedGroup<O>[] {
  const index = new Map(all.map((p, i) => [p, i]));
  return groups.map(({ params, ...hyper }) => {
    const copy: Record<string, unknown> = {};
    for (const [k, v] of Object.entries<unknown>(hyper)) copy[k] = Array.isArray(v) ? [...(v as unknown[])] : v;
    return { ...(copy as Required<O>), params: params.map((p) => index.get(p)!) };
  });
}

/**
 * The checked hyper-parameters of each saved group, for `loadStateDict`; a state without
 * `paramGroups` (saved before groups existed) gives `options` to every group. Throws, changing
 * nothing, if the groups do not match this optimiser's. @internal
 */
export function loadGroups<O>(
  where: string,
  state: { options?: unknown; paramGroups?: unknown },
  groups: readonly ParamGroup<O>[],
  check: (where: string, options: O) => Required<O>,
): Required<O>[] {
  if (state.paramGroups === undefined) return groups.map(() => check(where, (state.options ?? {}) as O));
  const saved = state.paramGroups;
  if (!Array.isArray(saved) || saved.length !== groups.length)
    throw new Error(
      `${where}: the state has ${Array.isArray(saved) ? saved.length : 'no'} parameter groups; this optimiser has ${groups.length}.`,
    );
  return saved.map((s: unknown, g) => {
    const { params, ...hyper } = (s ?? {}) as { params?: unknown };
    if (!Array.isArray(params) || params.length !== groups[g].params.length)
      throw new Error(
        `${where}: saved paramGroups[${g}] has ${Array.isArray(params) ? params.length : 'no'} parameters; this optimiser's has ${groups[g].params.length}.`,
      );
    return check(`${where}: paramGroups[${g}]`, hyper as O);
  });
}

/** Sets each group's hyper-parameters (after every check passed). @internal */
export function applyGroups<O>(groups: ParamGroup<O>[], hypers: Required<O>[]): void {
  groups.forEach((group, g) => Object.assign(group, hypers[g]));
}

/** A per-parameter state entry as JSON-safe data. @internal */
export function saveEntry(x: number | TypedArray | null): number | number[] | null {
  return x === null || typeof x === 'number' ? x : Array.from(x);
}

/**
 * A saved per-parameter entry checked against its parameter: a number (or null) for a Value,
 * an array of `p.size` numbers (or null) for a Tensor, made a buffer of `p`'s dtype. @internal
 */
export function loadEntry(where: string, name: string, x: unknown, p: Parameter): number | TypedArray | null {
  if (x === null || x === undefined) return null;
  if (!(p instanceof Tensor)) {
    if (typeof x !== 'number')
      throw new TypeError(`${where}: ${name} must be a number or null, got ${describeForError(x)}.`);
    return x;
  }
  if (!Array.isArray(x) || x.length !== p.size || x.some((e) => typeof e !== 'number'))
    throw new TypeError(
      `${where}: ${name} must be null or an array of ${p.size} numbers (its parameter's size), got ${describeForError(x)}.`,
    );
  return p.dtype === 'float32' ? Float32Array.from(x as number[]) : Float64Array.from(x as number[]);
}
