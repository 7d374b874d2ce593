/**
 * Learning-rate schedules, PyTorch style: built on an optimiser, each `step()` (called after
 * the optimiser's `step()`) advances the epoch count and sets every parameter group's `lr`
 * from PyTorch's closed form of the schedule (`_get_closed_form_lr`), from the rate each group
 * had when the schedule was made. Closed forms do not drift; PyTorch's own `step()` uses
 * chained forms that agree with them to the last bit or two.
 */
import { describeForError } from '../engine/errors';
import { integerOption, optionsObject } from '../util/options';
import { checkHyper } from './optimizer';

/** What a schedule needs of an optimiser: its groups' writable `lr`. */
export interface Schedulable {
  paramGroups: { lr: number }[];
}

/** A schedule's saved state: the epoch count and the base rates. */
export interface LRSchedulerState {
  lastEpoch: number;
  baseLrs: number[];
}

/**
 * The base of `StepLR`, `CosineAnnealingLR` and `LinearLR`.
 *
 * @example
 * const schedule = new StepLR(opt, { stepSize: 10 });
 * for (let epoch = 0; epoch < 30; epoch++) { train(); schedule.step(); }
 */
export abstract class LRScheduler {
  /** The number of `step()` calls so far (PyTorch's `last_epoch`). */
  lastEpoch = 0;
  /** Each group's rate when the schedule was made. */
  readonly baseLrs: number[];

  constructor(
    readonly optimizer: Schedulable,
    where: string,
  ) {
    if (typeof optimizer !== 'object' || optimizer === null || !Array.isArray(optimizer.paramGroups))
      throw new TypeError(
        `${where}: optimizer must be an optimiser (SGD, Adam, AdamW), got ${describeForError(optimizer)}.`,
      );
    this.baseLrs = optimizer.paramGroups.map((g) => g.lr);
  }

  /** The rate of a group with base rate `baseLr` at epoch `epoch`. */
  protected abstract rateAt(baseLr: number, epoch: number): number;

  /** @internal Sets every group's rate for the current epoch (the subclass calls it once built). */
  protected apply(): void {
    this.optimizer.paramGroups.forEach((g, i) => (g.lr = this.rateAt(this.baseLrs[i], this.lastEpoch)));
  }

  /**
   * Advances one epoch (or step) and sets each group's `lr`; call it after `optimizer.step()`.
   *
   * @example
   * opt.step(); schedule.step();
   */
  step(): void {
    this.lastEpoch += 1;
    this.apply();
  }

  /**
   * The rates just set, one per group (PyTorch's `get_last_lr()`).
   *
   * @example
   * schedule.getLastLr();   // [0.1]
   */
  getLastLr(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }

  /**
   * The epoch count and base rates as JSON-safe data.
   *
   * @example
   * const saved = schedule.stateDict();
   */
  stateDict(): LRSchedulerState {
    return { lastEpoch: this.lastEpoch, baseLrs: [...this.baseLrs] };
  }

  /**
   * Restores `stateDict()` output and sets the rates for that epoch; invalid input changes nothing.
   *
   * @example
   * schedule.loadStateDict(saved);
   */
  loadStateDict(state: LRSchedulerState): void {
    const where = `${this.constructor.name}.loadStateDict(state)`;
    const { lastEpoch, baseLrs } = (state ?? {}) as Partial<LRSchedulerState>;
    const epoch = integerOption(where, 'lastEpoch', lastEpoch, -1, 0);
    if (epoch < 0) throw new TypeError(`${where}: state.lastEpoch is required (from stateDict()).`);
    if (!Array.isArray(baseLrs) || baseLrs.length !== this.baseLrs.length)
      throw new Error(`${where}: state.baseLrs must hold one rate per parameter group (${this.baseLrs.length}).`);
    const rates = baseLrs.map((lr, i) => checkHyper(where, `baseLrs[${i}]`, lr));
    this.lastEpoch = epoch;
    this.baseLrs.splice(0, rates.length, ...rates);
    this.apply();
  }
}

/** Options for `StepLR`. */
export interface StepLROptions {
  /** Epochs between decays. */
  stepSize: number;
  /** The factor of each decay (default 0.1). */
  gamma?: number;
}

/**
 * Decays each group's rate by `gamma` every `stepSize` epochs: `lr = base * gamma^floor(epoch / stepSize)`.
 *
 * @example
 * const opt = new SGD([new Value(1)], { lr: 0.1 });
 * const schedule = new StepLR(opt, { stepSize: 2, gamma: 0.5 });
 * schedule.step(); schedule.step();
 * opt.paramGroups[0].lr;   // 0.05
 */
export class StepLR extends LRScheduler {
  readonly stepSize: number;
  readonly gamma: number;

  constructor(optimizer: Schedulable, options: StepLROptions) {
    super(optimizer, 'new StepLR(optimizer, options)');
    const where = 'new StepLR(optimizer, options)';
    const o = optionsObject(where, options);
    this.stepSize = integerOption(where, 'stepSize', o.stepSize, 0, 1);
    if (this.stepSize === 0) throw new TypeError(`${where}: options.stepSize (a positive integer) is required.`);
    this.gamma = checkHyper(where, 'gamma', o.gamma ?? 0.1);
    this.apply();
  }

  protected rateAt(baseLr: number, epoch: number): number {
    return baseLr * this.gamma ** Math.floor(epoch / this.stepSize);
  }
}

/** Options for `CosineAnnealingLR`. */
export interface CosineAnnealingLROptions {
  /** Epochs from the base rate down to `etaMin` (half a cosine period). */
  tMax: number;
  /** The lowest rate (default 0). */
  etaMin?: number;
}

/**
 * Anneals each group's rate along a cosine: `lr = etaMin + (base - etaMin)*(1 + cos(pi*epoch/tMax))/2`
 * (past `tMax` it rises again, as PyTorch's does).
 *
 * @example
 * const opt = new SGD([new Value(1)], { lr: 0.1 });
 * const schedule = new CosineAnnealingLR(opt, { tMax: 4 });
 * schedule.step(); schedule.step();
 * opt.paramGroups[0].lr;   // 0.05
 */
export class CosineAnnealingLR extends LRScheduler {
  readonly tMax: number;
  readonly etaMin: number;

  constructor(optimizer: Schedulable, options: CosineAnnealingLROptions) {
    super(optimizer, 'new CosineAnnealingLR(optimizer, options)');
    const where = 'new CosineAnnealingLR(optimizer, options)';
    const o = optionsObject(where, options);
    this.tMax = integerOption(where, 'tMax', o.tMax, 0, 1);
    if (this.tMax === 0) throw new TypeError(`${where}: options.tMax (a positive integer) is required.`);
    this.etaMin = checkHyper(where, 'etaMin', o.etaMin ?? 0);
    this.apply();
  }

  protected rateAt(baseLr: number, epoch: number): number {
    return this.etaMin + ((baseLr - this.etaMin) * (1 + Math.cos((Math.PI * epoch) / this.tMax))) / 2;
  }
}

/** Options for `LinearLR` (PyTorch's defaults). */
export interface LinearLROptions {
  /** The factor at epoch 0 (default 1/3). */
  startFactor?: number;
  /** The factor from `totalIters` on (default 1). */
  endFactor?: number;
  /** Epochs of the ramp (default 5). */
  totalIters?: number;
}

/**
 * Linear warm-up (or decay): the factor on each group's base rate moves linearly from
 * `startFactor` to `endFactor` over `totalIters` epochs, then stays:
 * `lr = base * (start + (end - start) * min(epoch, totalIters) / totalIters)`.
 *
 * @example
 * const opt = new SGD([new Value(1)], { lr: 0.1 });
 * const warmUp = new LinearLR(opt, { startFactor: 0.5, totalIters: 2 });
 * opt.paramGroups[0].lr;   // 0.05
 * warmUp.step(); warmUp.step();
 * opt.paramGroups[0].lr;   // 0.1
 */
export class LinearLR extends LRScheduler {
  readonly startFactor: number;
  readonly endFactor: number;
  readonly totalIters: number;

  constructor(optimizer: Schedulable, options: LinearLROptions = {}) {
    super(optimizer, 'new LinearLR(optimizer, options)');
    const where = 'new LinearLR(optimizer, options)';
    const o = optionsObject(where, options);
    this.startFactor = checkHyper(where, 'startFactor', o.startFactor ?? 1 / 3);
    this.endFactor = checkHyper(where, 'endFactor', o.endFactor ?? 1);
    if (this.startFactor === 0 || this.startFactor > 1 || this.endFactor > 1)
      throw new RangeError(`${where}: startFactor must be in (0, 1] and endFactor in [0, 1], as PyTorch requires.`);
    this.totalIters = integerOption(where, 'totalIters', o.totalIters, 5, 1);
    this.apply();
  }

  protected rateAt(baseLr: number, epoch: number): number {
    const { startFactor: s, endFactor: e, totalIters: n } = this;
    return baseLr * (s + ((e - s) * Math.min(n, epoch)) / n);
  }
}
