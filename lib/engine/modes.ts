/**
 * The explicit modes, and the only global state in stopgrad: grad mode (whether ops record the
 * graph) and anomaly detection (whether ops remember where they were created and passes check
 * gradients). Each is set for the synchronous extent of a callback and restored on the way
 * out, even when it throws. Asynchronous callbacks (and generator functions, whose bodies run
 * later) are refused: code after an `await` would run after the mode was restored, so it would
 * silently record the wrong graph.
 */
import { describeForError } from './errors';
import { type GraphNode, ownNumber } from './node';

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

// The errors anomaly detection raises.

/**
 * An Error naming the op whose rule produced a non-finite gradient for `parent` (or, when
 * `summed`, whose finite gradient overflowed when added to the one already there), and where
 * the op's node was created. @internal
 */
export function anomalyError(node: GraphNode, parent: GraphNode, grad: number | object, summed = false): Error {
  const op = node._rule === null ? 'a leaf' : `'${node._rule.name}'`;
  const value = typeof grad === 'number' ? String(grad) : 'a non-finite gradient';
  const label = parent._extras?.label ?? '';
  const input = label !== '' ? ` (labelled "${label}")` : '';
  return new Error(
    (summed
      ? `detectAnomaly: the backward rule of ${op} produced a finite gradient for one of its inputs${input}, but adding it to the gradient already there overflowed to ${value}. `
      : `detectAnomaly: the backward rule of ${op} produced ${value} for one of its inputs${input} from a finite gradient. `) +
      `The ${op} node${dataOf(node)} was created ${placeOf(node)}. ` +
      'Look for a division by zero, log or sqrt of 0 or of a negative number, or an overflow there.',
  );
}

/** An Error naming the node whose gradient hook turned a finite gradient into a non-finite one. @internal */
export function hookAnomalyError(node: GraphNode, before: number | object, after: number | object): Error {
  const label = node._extras?.label ?? '';
  const what =
    label !== '' ? `the node labelled "${label}"` : node._rule === null ? 'a leaf' : `a '${node._rule.name}' node`;
  const numbers =
    typeof before === 'number'
      ? ` returned ${String(after)} for the finite gradient ${before}`
      : ' returned a non-finite gradient for a finite one';
  return new Error(
    `detectAnomaly: a gradient hook on ${what}${dataOf(node)}${numbers}. The node was created ${placeOf(node)}. Check what that hook computes.`,
  );
}

/** ` (data=6)` for a scalar node, '' for a tensor. */
function dataOf(node: GraphNode): string {
  const data = ownNumber(node, 'data');
  return data !== undefined ? ` (data=${data})` : '';
}

function placeOf(node: GraphNode): string {
  const where = node._extras?.createdAt ?? '(created outside detectAnomaly, so its place is unknown)';
  return where.startsWith('at ') ? where : `at ${where}`;
}

/**
 * The pattern of stopgrad's own frames (engine, ops, autograd, tensors, backends, the free
 * functions), from the folder this module was loaded from, read off a stack trace, so it holds
 * wherever the package was built to (lib/ from source, dist/cjs or dist/esm when installed).
 */
function ownFramePattern(stack: string): RegExp {
  const own = String.raw`[\\/]((engine|ops|autograd|tensor|backends)[\\/]|functions\.)`;
  const here = /([^\s(]*?)[\\/]engine[\\/]modes\.[cm]?[jt]s/.exec(stack);
  if (here === null || here[1] === '') return new RegExp(String.raw`[\\/](lib|dist|cjs|esm)` + own);
  return new RegExp(here[1].replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + own);
}

/** Read off this module's own stack frame on first use. */
let ownFrame: RegExp | null = null;

/** The first stack frame outside stopgrad's own files, for naming where a node was created. @internal */
export function creationSite(): string {
  const stack = new Error().stack ?? '';
  const frames = stack
    .split('\n')
    .slice(1)
    .map((line) => line.trim());
  if (ownFrame === null) ownFrame = ownFramePattern(stack);
  const own = ownFrame;
  const outside = frames.find((frame) => !own.test(frame) && !frame.includes('node:internal'));
  return outside ?? frames[frames.length - 1] ?? '(unknown place)';
}

// Scopes: a mode set for a callback's synchronous extent.

/** Calls `enter()` (which sets the mode and returns how to restore it), runs `fn`, restores. */
function runInScope<T>(name: string, fn: () => T, enter: () => () => void): T {
  if (typeof fn !== 'function') {
    throw new TypeError(
      `${name}(fn): expected a function, got ${describeForError(fn)}. Pass a callback: ${name}(() => ...).`,
    );
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
  return (
    x !== null &&
    (typeof x === 'object' || typeof x === 'function') &&
    typeof (x as { then?: unknown }).then === 'function'
  );
}
