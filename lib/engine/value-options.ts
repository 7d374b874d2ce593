/** The options of `new Value(data, options)`, checked before anything is set. */
import { describeForError } from './errors';
import { extrasOf } from './node';
import type { Value } from './value';

/** Options for `new Value(data, options)`. */
export interface ValueOptions {
  /** Whether gradients should flow into this leaf (default true). */
  requiresGrad?: boolean;
  /** A name shown when printing or drawing the graph. */
  label?: string;
}

/** Applies `options` to a new leaf, after checking every one. @internal */
export function applyOptions(value: Value, options: ValueOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`new Value(data, options): options must be an object, got ${describeForError(options)}.`);
  }
  const { requiresGrad, label } = options;
  if (requiresGrad !== undefined && typeof requiresGrad !== 'boolean') {
    throw new TypeError(
      `new Value(data, { requiresGrad }): expected a boolean, got ${describeForError(requiresGrad)}.`,
    );
  }
  if (label !== undefined && typeof label !== 'string') {
    throw new TypeError(`new Value(data, { label }): expected a string, got ${describeForError(label)}.`);
  }
  if (requiresGrad === false) value._flags = 0;
  if (label !== undefined && label !== '') extrasOf(value).label = label;
}
