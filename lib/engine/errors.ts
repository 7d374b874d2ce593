/** Helpers that make error messages name what was passed. */

/**
 * The key under which every copy of stopgrad marks `Value.prototype` with its own brand, so
 * that a Value made by a second copy of the package is recognised in error messages. @internal
 */
export const VALUE_BRAND_KEY: unique symbol = Symbol.for('stopgrad.Value') as never;
/** This copy's brand (a unique object per loaded copy of this file). @internal */
export const VALUE_BRAND: object = Object.freeze({});

/** What an object is, without ever calling its own `toString` or trusting its `constructor`. */
function describeObject(x: object): string {
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  try {
    // The brand sits on the class (a static field), so Value.prototype and nodes stay untouched.
    const brand = (Object.getPrototypeOf(x) as { constructor?: Record<symbol, unknown> } | null)?.constructor?.[
      VALUE_BRAND_KEY
    ];
    if (brand === VALUE_BRAND) return 'a Value';
    if (brand !== undefined) {
      return 'a Value from another copy of stopgrad (two copies of the package are loaded; make every import resolve to one, e.g. with `npm dedupe`)';
    }
    const prototype = Object.getPrototypeOf(x);
    if (prototype === null) return 'an object with a null prototype';
    const name = (prototype as { constructor?: { name?: unknown } }).constructor?.name;
    return `an object (${typeof name === 'string' && name !== '' ? name : 'Object'})`;
  } catch {
    return 'an object';
  }
}

/**
 * A short description of a bad argument for error messages: `"3" (a string)`, `undefined`.
 * It never throws, whatever it is given (null-prototype objects, Proxies, symbols).
 *
 * @example
 * describeForError('3');                     // '"3" (a string)'
 * describeForError(Object.create(null));     // 'an object with a null prototype'
 */
export function describeForError(x: unknown): string {
  if (x === null) return 'null';
  switch (typeof x) {
    case 'string':
      return `${JSON.stringify(x.length > 20 ? x.slice(0, 20) + '…' : x)} (a string)`;
    case 'bigint':
      return `${x}n (a bigint)`;
    case 'boolean':
      return `${x} (a boolean)`;
    case 'function':
      return 'a function';
    case 'symbol':
      return 'a symbol';
    case 'object':
      return describeObject(x);
    default:
      return String(x);
  }
}
