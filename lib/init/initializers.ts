/**
 * Weight initialisation: Glorot (Xavier) and He (Kaiming), uniform and normal, one draw per
 * call from an explicit random source, so runs reproduce bit for bit. Formulas are PyTorch's
 * (`torch.nn.init`).
 */
import { gaussian, seededRng, type Rng } from '../data/random';
import { describeForError } from '../engine/errors';
import { optionsObject, rngOption } from '../util/options';

/** Options for an initialiser: a gain (scales the bound or standard deviation) and the random source. */
export interface InitOptions {
  /** Multiplies the bound / standard deviation (default 1 for Glorot, sqrt(2) for He, as for relu). */
  gain?: number;
  /** Uniform source in [0, 1) (default `seededRng(0)`: pass one to get independent draws). */
  rng?: Rng;
}

function check(name: string, fanIn: number, fanOut: number, gain: number): void {
  for (const [label, fan] of [
    ['fanIn', fanIn],
    ['fanOut', fanOut],
  ] as const) {
    if (!Number.isInteger(fan) || fan < 1)
      throw new RangeError(
        `${name}(fanIn, fanOut): ${label} must be a positive integer, got ${describeForError(fan)}.`,
      );
  }
  if (typeof gain !== 'number' || !Number.isFinite(gain) || gain < 0) {
    throw new RangeError(`${name}: gain must be a non-negative finite number, got ${describeForError(gain)}.`);
  }
}

/** The checked gain and random source of an initialiser call. */
function initOptions(
  name: string,
  fanIn: number,
  fanOut: number,
  options: InitOptions | undefined,
  defaultGain: number,
): { gain: number; rng: Rng } {
  const where = `${name}(fanIn, fanOut, options)`;
  const given = optionsObject(where, options);
  const gain = given.gain ?? defaultGain;
  check(name, fanIn, fanOut, gain);
  return { gain, rng: rngOption(where, given.rng, seededRng(0)) };
}

function uniform(rng: Rng, bound: number): number {
  return (rng() * 2 - 1) * bound;
}

/**
 * One draw from U(-b, b) with b = gain * sqrt(6 / (fanIn + fanOut)) (Glorot & Bengio, 2010).
 *
 * @example
 * glorotUniform(2, 16, { rng: seededRng(1) });   // a number in (-0.5774, 0.5774)
 */
export function glorotUniform(fanIn: number, fanOut: number, options: InitOptions = {}): number {
  const { gain, rng } = initOptions('glorotUniform', fanIn, fanOut, options, 1);
  return uniform(rng, gain * Math.sqrt(6 / (fanIn + fanOut)));
}

/**
 * One draw from N(0, s²) with s = gain * sqrt(2 / (fanIn + fanOut)).
 *
 * @example
 * glorotNormal(2, 16, { rng: seededRng(1) });    // a number from N(0, 0.333²)
 */
export function glorotNormal(fanIn: number, fanOut: number, options: InitOptions = {}): number {
  const { gain, rng } = initOptions('glorotNormal', fanIn, fanOut, options, 1);
  return gaussian(rng) * gain * Math.sqrt(2 / (fanIn + fanOut));
}

/**
 * One draw from U(-b, b) with b = gain * sqrt(3 / fanIn), gain sqrt(2) by default (He et al., 2015,
 * for relu; PyTorch's `kaiming_uniform_` in fan-in mode). `fanOut` is not used.
 *
 * @example
 * heUniform(16, 16, { rng: seededRng(1) });      // a number in (-0.6124, 0.6124)
 */
export function heUniform(fanIn: number, fanOut: number, options: InitOptions = {}): number {
  const { gain, rng } = initOptions('heUniform', fanIn, fanOut, options, Math.SQRT2);
  return uniform(rng, gain * Math.sqrt(3 / fanIn));
}

/**
 * One draw from N(0, s²) with s = gain / sqrt(fanIn), gain sqrt(2) by default (PyTorch's
 * `kaiming_normal_` in fan-in mode). `fanOut` is not used.
 *
 * @example
 * heNormal(16, 16, { rng: seededRng(1) });       // a number from N(0, 0.3536²)
 */
export function heNormal(fanIn: number, fanOut: number, options: InitOptions = {}): number {
  const { gain, rng } = initOptions('heNormal', fanIn, fanOut, options, Math.SQRT2);
  return (gaussian(rng) * gain) / Math.sqrt(fanIn);
}

/**
 * Alias of `glorotUniform` (PyTorch's name).
 * @example xavierUniform(4, 4, { rng: seededRng(0) });   // a number in (-0.866, 0.866)
 */
export const xavierUniform = glorotUniform;
/**
 * Alias of `glorotNormal` (PyTorch's name).
 * @example xavierNormal(4, 4, { rng: seededRng(0) });    // a number from N(0, 0.5²)
 */
export const xavierNormal = glorotNormal;

/** The initialisers by name, as `LayerOptions.init` names them. */
export const initializers = { glorotUniform, glorotNormal, heUniform, heNormal } as const;
/** The name of an initialiser. */
export type InitializerName = keyof typeof initializers;
