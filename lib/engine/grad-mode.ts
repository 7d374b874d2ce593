/**
 * Grad mode: whether ops record the graph. This is the only global state in stopgrad.
 *
 * The mode is a synchronous setting. `noGrad(fn)` and `enableGrad(fn)` change it for the
 * synchronous extent of `fn` and restore it on the way out, even when `fn` throws. An async
 * function is refused: code after its first `await` would run after the mode was restored
 * (or, worse, while some unrelated call had changed it), so it would record gradients it
 * should not, or miss ones it should, without any sign of it.
 */

import { runInScope } from './sync-scope';

let gradEnabled = true;

/**
 * Whether ops currently record the graph (true outside any `noGrad`).
 *
 * @example
 * isGradEnabled();                   // true
 * noGrad(() => isGradEnabled());     // false
 */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/**
 * Runs `fn` with graph recording off and returns its result. Values computed inside are
 * leaves that need no grad and keep no parents, so no gradient can flow through them and
 * they cost no graph memory. The previous mode is restored even if `fn` throws.
 *
 * @example
 * const w = new Value(2);
 * const y = noGrad(() => w.mul(3));  // Value(data=6, grad=0, requiresGrad=false)
 * y.requiresGrad;                    // false: y.backward() would throw
 */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn, 'noGrad');
}

/**
 * Runs `fn` with graph recording on, even inside `noGrad`, and returns its result.
 *
 * @example
 * noGrad(() => enableGrad(() => new Value(2).mul(3)).requiresGrad);  // true
 */
export function enableGrad<T>(fn: () => T): T {
  return withGradMode(true, fn, 'enableGrad');
}

function withGradMode<T>(enabled: boolean, fn: () => T, name: string): T {
  return runInScope(name, fn, () => {
    const previous = gradEnabled;
    gradEnabled = enabled;
    return () => {
      gradEnabled = previous;
    };
  });
}
