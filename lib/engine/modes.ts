/**
 * The explicit modes, and the only global state in stopgrad: grad mode (whether ops record the
 * graph) and anomaly detection (whether ops remember where they were created and passes check
 * gradients). Each is set for the synchronous extent of a callback and restored on the way
 * out, even when it throws. Asynchronous callbacks (and generator functions, whose bodies run
 * later) are refused: code after an `await` would run after the mode was restored, so it would
 * silently record the wrong graph.
 */
import { describeForError } from './errors';

let gradEnabled = true;
let anomalyDetection = false;

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

/** Sets grad mode without a callback and returns the previous setting (for the backward pass's own use). @internal */
export function swapGradMode(enabled: boolean): boolean {
  const previous = gradEnabled;
  gradEnabled = enabled;
  return previous;
}

/** Whether `detectAnomaly` is active (ops record creation sites, passes check gradients). @internal */
export function isDetectingAnomalies(): boolean {
  return anomalyDetection;
}

/**
 * Runs `fn` with anomaly detection on and returns its result. Graphs built inside remember
 * where each op was created; any backward pass run inside throws as soon as a rule produces a
 * NaN or ±Infinity gradient from a finite one, naming the op and the line that created it.
 * It slows everything down: use it to find a bug, not in training.
 *
 * @example
 * detectAnomaly(() => {
 *   const x = new Value(0);
 *   x.sqrt().backward();      // throws: 'sqrt' produced Infinity ... created at <your file:line>
 * });
 */
export function detectAnomaly<T>(fn: () => T): T {
  return runInScope('detectAnomaly', fn, () => {
    const previous = anomalyDetection;
    anomalyDetection = true;
    return () => {
      anomalyDetection = previous;
    };
  });
}

/** The first stack frame outside stopgrad's own files, for naming where a node was created. @internal */
export function creationSite(): string {
  const stack = new Error().stack ?? '';
  const frames = stack.split('\n').slice(1).map((line) => line.trim());
  const outside = frames.find((frame) => !/[\\/]lib[\\/]((engine|ops|autograd|tensor|backends)[\\/]|functions\.)/.test(frame) && !frame.includes('node:internal'));
  return outside ?? frames[frames.length - 1] ?? '(unknown place)';
}

// Scopes: a mode set for a callback's synchronous extent.

/** Calls `enter()` (which sets the mode and returns how to restore it), runs `fn`, restores. */
function runInScope<T>(name: string, fn: () => T, enter: () => () => void): T {
  if (typeof fn !== 'function') {
    throw new TypeError(`${name}(fn): expected a function, got ${describeForError(fn)}. Pass a callback: ${name}(() => ...).`);
  }
  if (isAsyncFunction(fn)) throw new TypeError(asyncRefusal(name));
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

function isAsyncFunction(fn: Function): boolean {
  const kind = fn.constructor?.name;
  return kind === 'AsyncFunction' || kind === 'AsyncGeneratorFunction';
}

function isThenable(x: unknown): boolean {
  return x !== null && (typeof x === 'object' || typeof x === 'function') && typeof (x as { then?: unknown }).then === 'function';
}
