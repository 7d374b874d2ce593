/**
 * Seeded random numbers, so that initialisation, data and shuffles reproduce bit for bit on
 * every platform: the generator uses only 32-bit integer arithmetic (mulberry32).
 */

import { describeForError } from '../engine/errors';

/** A source of uniform random numbers in [0, 1). */
export type Rng = () => number;

/**
 * Returns a deterministic uniform random source in [0, 1) for `seed` (any finite number;
 * it is reduced to 32 bits). The same seed gives the same sequence everywhere.
 *
 * @example
 * const rng = seededRng(42);
 * rng();                     // 0.6011037519201636, on every machine
 */
export function seededRng(seed: number): Rng {
  if (typeof seed !== 'number' || !Number.isFinite(seed)) {
    throw new TypeError(`seededRng(seed): expected a finite number, got ${describeForError(seed)}.`);
  }
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A standard normal draw from `rng` (Box–Muller; uses two uniform draws).
 *
 * @example
 * gaussian(seededRng(1));    // a number from N(0, 1), the same on every run
 */
export function gaussian(rng: Rng): number {
  const u = 1 - rng(); // in (0, 1]: log(u) is finite
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * A shuffled copy of `items` (Fisher–Yates driven by `rng`): the same order for the same seed.
 *
 * @example
 * shuffled([1, 2, 3, 4], seededRng(0));   // the same permutation on every run
 */
export function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}
