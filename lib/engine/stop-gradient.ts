/** `stopGradient`: the functional, out-of-place stop-gradient (JAX's `lax.stop_gradient`). */
import { describeForError } from './errors';
import { Flag } from './node';
import { Value } from './value';
import type { Tensor } from '../tensor/tensor';

/** A Tensor, recognised without importing the class, so a scalar-only bundle carries no tensor code. */
function isTensor(v: unknown): v is Tensor {
  return (
    typeof v === 'object' && v !== null && '_storage' in v && 'shape' in v && typeof (v as Tensor).detach === 'function'
  );
}

/**
 * On a Tensor: `t.detach()`, a leaf sharing its storage that needs no grad. (This overload
 * comes first so that `values.map(stopGradient)` picks the Value one.)
 * @example stopGradient(tensor([1, 2], { requiresGrad: true })).requiresGrad   // false
 */
export function stopGradient(v: Tensor): Tensor;
/**
 * Identity forward, zero backward: returns a new leaf holding `v`'s data that needs no grad
 * (a plain number becomes such a constant). `v` and its graph are not changed; this is
 * `v.detach()` as a function. Holds at every order of differentiation.
 *
 * @example
 * const x = new Value(2);
 * x.mul(stopGradient(x)).backward();
 * x.grad;                    // 2: d/dx [x * sg(x)] = sg(x), not 2x
 */
export function stopGradient(v: Value | number): Value;
export function stopGradient(v: Value | number | Tensor): Value | Tensor {
  if (v instanceof Value || isTensor(v)) return v.detach();
  if (typeof v === 'number') {
    const constant = new Value(v);
    constant._flags = Flag.StoppedGradient; // needs no grad, made by stopGradient
    return constant;
  }
  throw new TypeError(`stopGradient(v): expected a Value, a Tensor or a number, got ${describeForError(v)}.`);
}
