/**
 * Runs a callback inside a mode (grad mode, anomaly detection) that is set for the callback's
 * synchronous extent and restored on the way out, even when it throws. Asynchronous callbacks
 * are refused: code after an `await` would run after the mode was restored, so it would
 * silently record the wrong graph.
 */
import { describeForError } from './errors';

/** Calls `enter()` (which sets the mode and returns how to restore it), runs `fn`, restores. @internal */
export function runInScope<T>(name: string, fn: () => T, enter: () => () => void): T {
  if (typeof fn !== 'function') {
    throw new TypeError(`${name}(fn): expected a function, got ${describeForError(fn)}. Pass a callback: ${name}(() => ...).`);
  }
  if (isAsyncFunction(fn)) throw new TypeError(asyncRefusal(name));
  if (isGeneratorFunction(fn)) throw new TypeError(generatorRefusal(name));
  const restore = enter();
  let result: T;
  try {
    result = fn();
  } finally {
    restore();
  }
  if (isThenable(result)) {
    // Keep the caller's process quiet: the rejection, if any, is superseded by this error.
    (result as PromiseLike<unknown>).then(undefined, () => undefined);
    throw new TypeError(asyncRefusal(name));
  }
  return result;
}

function asyncRefusal(name: string): string {
  return (
    `${name}(fn): fn is asynchronous (it returned a Promise). The mode ${name} sets is synchronous: ` +
    `code after an \`await\` inside fn runs after ${name} has restored it, so it would silently ` +
    `record the wrong graph. Wrap the synchronous computation only, e.g. ` +
    `\`const y = ${name}(() => model.call(x)); await save(y);\``
  );
}

function generatorRefusal(name: string): string {
  return (
    `${name}(fn): fn is a generator function. Its body runs later, each time the generator is ` +
    `resumed, after ${name} has restored the mode, so it would silently record the wrong graph. ` +
    `Pass a plain function, or call ${name} inside the generator around each computation.`
  );
}

function isGeneratorFunction(fn: Function): boolean {
  return fn.constructor?.name === 'GeneratorFunction';
}

function isAsyncFunction(fn: Function): boolean {
  const kind = fn.constructor?.name;
  return kind === 'AsyncFunction' || kind === 'AsyncGeneratorFunction';
}

function isThenable(x: unknown): boolean {
  return x !== null && (typeof x === 'object' || typeof x === 'function') && typeof (x as { then?: unknown }).then === 'function';
}
