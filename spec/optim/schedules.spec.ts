/**
 * Schedules against PyTorch 1.13 (torch.optim.lr_scheduler), run with /usr/bin/python3:
 *
 *   opt = SGD([{'params': [p], 'lr': lr} for lr in lrs], lr=1.0); s = <Schedule>(opt, ...)
 *   lrs = [group lrs]; then 8 times: opt.step(); s.step(); record the group lrs
 *
 * `closed` is PyTorch's `_get_closed_form_lr` evaluated for each epoch in Python (what stopgrad
 * computes, so equal to the bit); `chained` is what PyTorch's own `step()` produced (its
 * chained forms), which agrees to about 1e-16.
 */
import { Adam, CosineAnnealingLR, LinearLR, SGD, StepLR, tensor } from '../../lib';
import type { LRScheduler } from '../../lib';

function sequence(lrs: number[], make: (opt: SGD) => LRScheduler, steps: number): number[][] {
  const opt = new SGD(
    lrs.map((lr) => ({ params: [tensor([0], { requiresGrad: true })], lr })),
    { lr: 1 },
  );
  const schedule = make(opt);
  const out = [opt.paramGroups.map((g) => g.lr)];
  for (let s = 0; s < steps; s++) {
    opt.step();
    schedule.step();
    out.push(opt.paramGroups.map((g) => g.lr));
    expect(schedule.getLastLr()).toEqual(out[out.length - 1]);
  }
  return out;
}

function expectClose(actual: number[][], chained: number[][]): void {
  actual.flat().forEach((x, i) => expect(Math.abs(x - chained.flat()[i])).toBeLessThanOrEqual(1e-16));
}

test('StepLR(step_size=3, gamma=0.5)', () => {
  const lrs = sequence([0.1], (o) => new StepLR(o, { stepSize: 3, gamma: 0.5 }), 8).flat();
  expect(lrs).toEqual([0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025]);
});

test('CosineAnnealingLR(T_max=5, eta_min=0.01), past T_max too', () => {
  const lrs = sequence([0.1], (o) => new CosineAnnealingLR(o, { tMax: 5, etaMin: 0.01 }), 7);
  // closed (to 1e-16: at epoch 6 JavaScript's Math.cos and C's cos differ in the last bit)
  expectClose(lrs, [
    [0.1],
    [0.09140576474687263],
    [0.06890576474687264],
    [0.04109423525312737],
    [0.01859423525312737],
    [0.01],
    [0.01859423525312736],
    [0.041094235253127366],
  ]);
  expect(lrs.flat().slice(0, 6)).toEqual([
    0.1, 0.09140576474687263, 0.06890576474687264, 0.04109423525312737, 0.01859423525312737, 0.01,
  ]);
  // chained
  expectClose(lrs, [
    [0.1],
    [0.09140576474687263],
    [0.06890576474687263],
    [0.04109423525312736],
    [0.018594235253127367],
    [0.01],
    [0.018594235253127367],
    [0.04109423525312739],
  ]);
});

test('CosineAnnealingLR(T_max=4) on two groups with their own base rates', () => {
  const lrs = sequence([0.1, 0.001], (o) => new CosineAnnealingLR(o, { tMax: 4 }), 5);
  expect(lrs).toEqual([
    [0.1, 0.001],
    [0.08535533905932738, 0.0008535533905932737],
    [0.05, 0.0005],
    [0.014644660940672627, 0.00014644660940672628],
    [0.0, 0.0],
    [0.014644660940672617, 0.00014644660940672617],
  ]);
});

test('LinearLR warm-up: (start_factor=0.25, total_iters=4) and the defaults (1/3, 1.0, 5)', () => {
  const warm = sequence([0.1], (o) => new LinearLR(o, { startFactor: 0.25, endFactor: 1, totalIters: 4 }), 6);
  expect(warm.flat()).toEqual([0.025, 0.043750000000000004, 0.0625, 0.08125, 0.1, 0.1, 0.1]);
  expectClose(warm, [
    [0.025],
    [0.043750000000000004],
    [0.06250000000000001],
    [0.08125000000000002],
    [0.10000000000000002],
    [0.10000000000000002],
    [0.10000000000000002],
  ]);
  const defaults = sequence([0.1], (o) => new LinearLR(o), 6);
  expect(defaults.flat()).toEqual([
    0.03333333333333333, 0.04666666666666667, 0.06000000000000001, 0.07333333333333335, 0.08666666666666667, 0.1, 0.1,
  ]);
});

test('a schedule drives the rate the optimiser really uses, and its state round-trips', () => {
  const w = tensor([1], { requiresGrad: true });
  const opt = new SGD([w], { lr: 1 });
  const schedule = new StepLR(opt, { stepSize: 1, gamma: 0.5 });
  const moves: number[] = [];
  for (let s = 0; s < 3; s++) {
    const before = w.data[0];
    w.grad = tensor([1]);
    opt.step();
    schedule.step();
    moves.push(before - w.data[0]);
  }
  expect(moves).toEqual([1, 0.5, 0.25]);
  const opt2 = new Adam([tensor([1], { requiresGrad: true })], { lr: 1 });
  const restored = new StepLR(opt2, { stepSize: 1, gamma: 0.5 });
  restored.loadStateDict(JSON.parse(JSON.stringify(schedule.stateDict())) as ReturnType<LRScheduler['stateDict']>);
  expect(restored.getLastLr()).toEqual([0.125]);
  expect(() => restored.loadStateDict({ lastEpoch: 1, baseLrs: [] })).toThrow(/one rate per parameter group/);
  expect(restored.getLastLr()).toEqual([0.125]);
});

test('bad options are refused, naming the option', () => {
  const opt = new SGD([tensor([0], { requiresGrad: true })], { lr: 0.1 });
  expect(() => new StepLR(opt, {} as never)).toThrow(/stepSize/);
  expect(() => new CosineAnnealingLR(opt, { tMax: 0 })).toThrow(/tMax must be a positive integer/);
  expect(() => new LinearLR(opt, { startFactor: 0 })).toThrow(/startFactor must be in \(0, 1\]/);
  expect(() => new StepLR({} as never, { stepSize: 1 })).toThrow(/optimizer must be an optimiser/);
  expect(opt.paramGroups[0].lr).toBe(0.1);
});
