/** The two-moons toy data set (as scikit-learn's `make_moons`), from a seeded source. */
import { describeForError } from '../engine/errors';
import { checkGraphSize, numberOption, optionsObject, rngOption } from '../util/options';
import { gaussian, seededRng, shuffled, type Rng } from './random';

/** A labelled 2-D data set: `xs[i]` is a point, `ys[i]` its label, -1 or +1. */
export interface Dataset {
  xs: [number, number][];
  ys: number[];
}

/** Options for `makeMoons`. */
export interface MoonsOptions {
  /** Standard deviation of the Gaussian noise added to each coordinate (default 0.1). */
  noise?: number;
  /** The random source (default `seededRng(0)`), so the data reproduces. */
  rng?: Rng;
}

/**
 * `n` points on two interleaving half circles, labelled -1 (upper moon) and +1 (lower moon),
 * in a seeded random order, as in micrograd's demo.
 *
 * @example
 * const { xs, ys } = makeMoons(100, { noise: 0.1, rng: seededRng(1337) });
 * xs.length;                 // 100
 */
export function makeMoons(n: number, options: MoonsOptions = {}): Dataset {
  const where = 'makeMoons(n, options)';
  if (!Number.isInteger(n) || n < 2)
    throw new RangeError(`${where}: n must be an integer >= 2, got ${describeForError(n)}.`);
  checkGraphSize(where, 'points', n);
  const given = optionsObject(where, options);
  const noise = numberOption(where, 'noise', given.noise, 0.1);
  const rng = rngOption(where, given.rng, seededRng(0));
  const outer = Math.floor(n / 2);
  const inner = n - outer;
  const points: { x: [number, number]; y: number }[] = [];
  for (let i = 0; i < outer; i++) {
    const t = (Math.PI * i) / Math.max(outer - 1, 1);
    points.push({ x: [Math.cos(t), Math.sin(t)], y: -1 });
  }
  for (let i = 0; i < inner; i++) {
    const t = (Math.PI * i) / Math.max(inner - 1, 1);
    points.push({ x: [1 - Math.cos(t), 1 - Math.sin(t) - 0.5], y: 1 });
  }
  // Shuffle with the seeded source, then add noise, so the result depends only on the seed.
  const order = shuffled(points, rng);
  return {
    xs: order.map((p) => [p.x[0] + noise * gaussian(rng), p.x[1] + noise * gaussian(rng)]),
    ys: order.map((p) => p.y),
  };
}
