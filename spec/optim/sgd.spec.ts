import { SGD, Value } from '../../lib';
import type { SGDOptions } from '../../lib';
import { restoredTrajectory, trajectory as minimise } from '../helpers/minimise';

/** Runs `steps` steps of minimising w^2 from w = 1 with SGD and returns the w after each. */
const trajectory = (options: SGDOptions, steps: number) => minimise((w) => new SGD([w], options), steps);

describe('SGD follows PyTorch formulas', () => {
  test('plain SGD: w -= lr * 2w', () => {
    expect(trajectory({ lr: 0.1 }, 2)).toEqual([1 - 0.1 * 2, 0.8 - 0.1 * 1.6]);
  });

  test('momentum 0.9 and weight decay 0.1 over three steps, by hand', () => {
    // step 1: g = 2 + 0.1*1 = 2.1, buf = 2.1, w = 1 - 0.21 = 0.79
    // step 2: g = 1.58 + 0.079 = 1.659, buf = 0.9*2.1 + 1.659 = 3.549, w = 0.79 - 0.3549 = 0.4351
    // step 3: g = 0.8702 + 0.04351 = 0.91371, buf = 0.9*3.549 + 0.91371 = 4.10781, w = 0.4351 - 0.410781 = 0.024319
    const w = trajectory({ lr: 0.1, momentum: 0.9, weightDecay: 0.1 }, 3);
    expect(w[0]).toBeCloseTo(0.79, 14);
    expect(w[1]).toBeCloseTo(0.4351, 14);
    expect(w[2]).toBeCloseTo(0.024319, 14);
    // and bit for bit, in PyTorch's order of operations
    let p = 1;
    let buf = 0;
    const exact: number[] = [];
    for (let s = 0; s < 3; s++) {
      const g = 2 * p + 0.1 * p;
      buf = s === 0 ? g : 0.9 * buf + (1 - 0) * g;
      p = p + -0.1 * buf;
      exact.push(p);
    }
    expect(w).toEqual(exact);
  });

  test('nesterov and dampening', () => {
    // nesterov step 1: g = 2, buf = 2, g = 2 + 0.9*2 = 3.8, w = 1 - 0.38 = 0.62
    expect(trajectory({ lr: 0.1, momentum: 0.9, nesterov: true }, 1)[0]).toBeCloseTo(0.62, 15);
    // dampening 0.5, step 2: buf = 0.9*2 + 0.5*(2*0.8) = 2.6, w = 0.8 - 0.26 = 0.54
    expect(trajectory({ lr: 0.1, momentum: 0.9, dampening: 0.5 }, 2)[1]).toBeCloseTo(0.54, 15);
  });

  test('a parameter frozen after the optimiser was built is not touched: not by momentum, not by weight decay', () => {
    const a = new Value(0.5);
    const b = new Value(0.5);
    const opt = new SGD([a, b], { lr: 0.1, momentum: 0.9, weightDecay: 0.01 });
    for (let s = 0; s < 3; s++) {
      opt.zeroGrad();
      a.mul(b).backward();
      opt.step();
    }
    a.requiresGrad_(false);
    const frozen = a.data;
    for (let s = 0; s < 5; s++) {
      opt.zeroGrad();
      a.mul(b).backward();
      opt.step();
    }
    expect(a.data).toBe(frozen); // PyTorch would keep decaying it: 0.5 -> 0.4995 per step with a zero grad
    const still = new Value(0.5).requiresGrad_(false);
    const opt2 = new SGD([still], { lr: 0.1, weightDecay: 0.01 });
    opt2.step();
    expect(still.data).toBe(0.5);
  });

  test('state round trip continues bit-identically', () => {
    const run = (restore: boolean) =>
      restoredTrajectory(
        (w) => new SGD([w], { lr: 0.05, momentum: 0.8, weightDecay: 0.01 }),
        (w) => new SGD([w], { lr: 1 }),
        restore,
      );
    expect(run(true)).toEqual(run(false));
  });

  test('bad options and bad state are rejected, changing nothing', () => {
    const w = new Value(1);
    expect(() => new SGD([w], { lr: -1 })).toThrow(/lr must be a finite number >= 0/);
    expect(() => new SGD([w], {} as { lr: number })).toThrow(/lr must be/);
    expect(() => new SGD([w], { lr: 0.1, nesterov: true })).toThrow(/nesterov needs momentum > 0/);
    expect(() => new SGD([], { lr: 0.1 })).toThrow(/params is empty/);
    expect(() => new SGD([w, w], { lr: 0.1 })).toThrow(/appears twice/);
    expect(() => new SGD([3 as unknown as Value], { lr: 0.1 })).toThrow(/params\[0\] must be a Value/);
    const opt = new SGD([w], { lr: 0.1, momentum: 0.9 });
    const before = JSON.stringify(opt.stateDict());
    expect(() => opt.loadStateDict({ type: 'Adam' } as never)).toThrow(/not SGD/);
    expect(() => opt.loadStateDict({ type: 'SGD', options: { lr: 0.1 }, perParameter: [] } as never)).toThrow(
      /0 per-parameter entries; this optimiser has 1/,
    );
    expect(() =>
      opt.loadStateDict({ type: 'SGD', options: { lr: 0.1 }, perParameter: [{ momentumBuffer: 'x' }] } as never),
    ).toThrow(/momentumBuffer must be a number or null/);
    expect(JSON.stringify(opt.stateDict())).toBe(before);
  });
});
