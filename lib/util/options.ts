/**
 * Checks for option objects and their fields, shared by every public entry point, so that each
 * bad option gets a TypeError or RangeError naming the call and the option, what was expected
 * and what was passed (through `describeForError`).
 */
import type { Rng } from '../data/random';
import { describeForError } from '../engine/errors';

/** The most nodes one backward pass can order (2^25): larger models or data sets are refused up front. */
export const MAX_GRAPH_NODES = 2 ** 25;

/**
 * `options` as an object: `undefined` becomes `{}`; null, arrays and non-objects throw a TypeError.
 *
 * @example
 * const { digits } = optionsObject('toDot(root, options)', options);
 */
export function optionsObject<T extends object>(where: string, options: T | undefined): Partial<T> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`${where}: options must be an object (or left out), got ${describeForError(options)}.`);
  }
  return options;
}

/**
 * A boolean option, or `fallback` when it is undefined. Strings such as 'false' are refused.
 *
 * @example
 * booleanOption('new SGD', 'nesterov', options.nesterov, false);
 */
export function booleanOption(where: string, name: string, x: unknown, fallback: boolean): boolean {
  if (x === undefined) return fallback;
  if (typeof x !== 'boolean')
    throw new TypeError(`${where}: ${name} must be true or false, got ${describeForError(x)}.`);
  return x;
}

/**
 * An integer option in [min, max], or `fallback` when it is undefined.
 *
 * @example
 * integerOption('toDot', 'digits', options.digits, 4, 1, 17);
 */
export function integerOption(
  where: string,
  name: string,
  x: unknown,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (x === undefined) return fallback;
  if (typeof x !== 'number' || !Number.isInteger(x) || x < min || x > max) {
    const range =
      max !== Number.MAX_SAFE_INTEGER
        ? `an integer from ${min} to ${max}`
        : min === 1
          ? 'a positive integer'
          : `an integer >= ${min}`;
    throw new RangeError(`${where}: ${name} must be ${range}, got ${describeForError(x)}.`);
  }
  return x;
}

/**
 * One of `choices`, or `fallback` when it is undefined.
 *
 * @example
 * choiceOption('toDot', 'rankdir', options.rankdir, 'LR', ['LR', 'TB']);
 */
export function choiceOption<T extends string>(
  where: string,
  name: string,
  x: unknown,
  fallback: T,
  choices: readonly T[],
): T {
  if (x === undefined) return fallback;
  if (!choices.includes(x as T))
    throw new TypeError(
      `${where}: ${name} must be one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${describeForError(x)}.`,
    );
  return x as T;
}

/**
 * A random source that checks every number it returns is in [0, 1) (so that shuffles neither
 * lose nor duplicate items), or `fallback` when `rng` is undefined.
 *
 * @example
 * const draw = rngOption('batches', options.rng, seededRng(0));
 */
export function rngOption(where: string, rng: unknown, fallback: Rng): Rng;
export function rngOption(where: string, rng: unknown): Rng | undefined;
export function rngOption(where: string, rng: unknown, fallback?: Rng): Rng | undefined {
  if (rng === undefined) return fallback;
  if (typeof rng !== 'function')
    throw new TypeError(
      `${where}: rng must be a function returning numbers in [0, 1) (e.g. seededRng(0)), got ${describeForError(rng)}.`,
    );
  return () => {
    const u: unknown = rng();
    if (typeof u !== 'number' || !(u >= 0 && u < 1)) {
      throw new RangeError(
        `${where}: rng must return numbers in [0, 1), but it returned ${describeForError(u)}. Use seededRng(seed) or Math.random.`,
      );
    }
    return u;
  };
}

/**
 * Throws a RangeError if `count` nodes (parameters, points) are more than one backward pass
 * can handle: allocating them would exhaust memory and abort the process, uncatchably.
 *
 * @example
 * checkGraphSize('new Layer(nin, nout)', 'parameters', nout * (nin + 1));
 */
export function checkGraphSize(where: string, what: string, count: number): void {
  if (count > MAX_GRAPH_NODES) {
    throw new RangeError(
      `${where}: that is ${count} ${what}, more than the ${MAX_GRAPH_NODES} (2^25) nodes one backward pass can handle. Use smaller sizes.`,
    );
  }
}

/**
 * A finite number option that is >= 0 (> 0 when `positive`), or `fallback` when it is undefined.
 *
 * @example
 * numberOption('makeMoons', 'noise', options.noise, 0.1);
 */
export function numberOption(where: string, name: string, x: unknown, fallback: number, positive = false): number {
  if (x === undefined) return fallback;
  if (typeof x !== 'number' || !Number.isFinite(x) || x < 0 || (positive && x === 0)) {
    throw new RangeError(
      `${where}: ${name} must be a finite number ${positive ? '> 0' : '>= 0'}, got ${describeForError(x)}.`,
    );
  }
  return x;
}
