/**
 * State dicts: a module's parameters and buffers by dotted name. A Value parameter's entry is
 * its number; a Tensor parameter's or buffer's entry is a Tensor holding a copy of its data (a
 * snapshot: later training does not change it, unlike PyTorch's state_dict, whose tensors share
 * storage). Loading checks every entry before it changes anything.
 */
import { describeForError } from '../engine/errors';
import { noGrad } from '../engine/modes';
import { Value } from '../engine/value';
import { tensor } from '../tensor/create';
import { formatShape, sameShape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import type { Parameter } from './walk';

/** The entry of a state dict for a parameter of type P: a number for a Value, a Tensor for a Tensor. */
export type StateEntry<P extends Parameter> = P extends Value ? number : Tensor;

/** A state dict: entries by dotted name. */
export type StateDict<P extends Parameter = Parameter> = Record<string, StateEntry<P>>;

/** A copy of `t`'s data as a new constant tensor (same dtype and shape). @internal */
export function snapshot(t: Tensor): Tensor {
  const data = t.dtype === 'float64' ? Float64Array.from(t._data) : Float32Array.from(t._data);
  return tensor(data, { shape: t.shape, dtype: t.dtype });
}

/** Sets an own, enumerable property, even one named "__proto__". @internal */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/** The state dict of these named entries. @internal */
export function buildState(entries: readonly (readonly [string, Parameter])[]): Record<string, number | Tensor> {
  const state: Record<string, number | Tensor> = {};
  for (const [name, p] of entries) setOwn(state, name, p instanceof Value ? p.data : snapshot(p));
  return state;
}

/**
 * Checks `state` against the named entries (every name present, no extra name, a number for a
 * Value, a Tensor of the same shape for a Tensor) and only then copies it in. Each entry is read
 * once, so a getter or Proxy cannot pass the check and then change. @internal
 */
export function loadState(entries: readonly (readonly [string, Parameter])[], state: unknown): void {
  if (typeof state !== 'object' || state === null || Array.isArray(state)) {
    throw new TypeError(
      `loadStateDict(state): state must be an object of entries by parameter name (as stateDict() returns), got ${describeForError(state)}.`,
    );
  }
  const given = state as Record<string, unknown>;
  const expected = new Set(entries.map(([name]) => name));
  const values: (number | Tensor)[] = [];
  for (const [name, p] of entries) {
    if (!Object.prototype.hasOwnProperty.call(given, name))
      throw new Error(`loadStateDict: parameter '${name}' is missing from the state.`);
    const value: unknown = given[name];
    if (p instanceof Value) {
      if (typeof value !== 'number')
        throw new TypeError(`loadStateDict: parameter '${name}' must be a number, got ${describeForError(value)}.`);
    } else if (!(value instanceof Tensor)) {
      throw new TypeError(
        `loadStateDict: '${name}' must be a Tensor of shape ${formatShape(p.shape)}, got ${describeForError(value)}.`,
      );
    } else if (!sameShape(value.shape, p.shape)) {
      throw new RangeError(
        `loadStateDict: '${name}' has shape ${formatShape(p.shape)} in this module but ${formatShape(value.shape)} in the state.`,
      );
    }
    values.push(value);
  }
  for (const name of Object.keys(given)) {
    if (!expected.has(name))
      throw new Error(`loadStateDict: the state has '${name}', which is not a parameter of this module.`);
  }
  noGrad(() =>
    entries.forEach(([, p], i) => {
      if (p instanceof Value) p.data = values[i] as number;
      else p.copy_(values[i]);
    }),
  );
}
