/** Helpers that make error messages name what was passed. */

/** A short description of a bad argument for error messages: `'3' (a string)`, `undefined`. */
export function describeForError(x: unknown): string {
  if (x === null) return 'null';
  if (x === undefined) return 'undefined';
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
      return Array.isArray(x) ? `an array of length ${x.length}` : `an object (${(x as object).constructor?.name ?? 'Object'})`;
    default:
      return String(x);
  }
}
