/**
 * Attaches op methods to `Value.prototype` (non-enumerable, like class methods), so that the
 * graph core stays free of op code while `x.mul(y)` still reads naturally.
 */
import { Value } from '../engine/value';

/** Defines each of `methods` on `Value.prototype`. @internal */
export function installMethods(methods: Record<string, (this: Value, ...args: never[]) => unknown>): void {
  for (const name of Object.keys(methods)) {
    Object.defineProperty(Value.prototype, name, { value: methods[name], writable: true, configurable: true, enumerable: false });
  }
}
