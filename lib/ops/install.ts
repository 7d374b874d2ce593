/**
 * Attaches an op's method to `Value.prototype` (non-enumerable, like class methods), so that
 * the graph core stays free of op code while `x.mul(y)` still reads naturally. The name must
 * be declared on Value (beside the op, with `declare module`), so a typo does not compile.
 */
import { Value } from '../engine/value';

/** A Value method's implementation, with `this` a Value. */
type Method<K extends keyof Value> = Value[K] extends (...args: infer P) => infer R
  ? (this: Value, ...args: P) => R
  : never;

/** Defines `Value.prototype[name]`; `name` must be a declared Value method. @internal */
export function defineMethod<K extends keyof Value>(name: K, method: Method<K>): void {
  Object.defineProperty(Value.prototype, name, {
    value: method,
    writable: true,
    configurable: true,
    enumerable: false,
  });
}
