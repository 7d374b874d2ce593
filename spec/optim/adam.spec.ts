import { Adam, AdamW, Value } from '../../lib';
import { restoredTrajectory, trajectory } from '../helpers/minimise';

/** PyTorch's single-tensor Adam, written out by hand for one scalar parameter. */
function handAdam(
  w0: number,
  grads: (w: number) => number,
  steps: number,
  lr: number,
  wd = 0,
  decoupled = false,
): number[] {
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  let [w, m, v] = [w0, 0, 0];
  const out: number[] = [];
  for (let t = 1; t <= steps; t++) {
    let g = grads(w);
    if (decoupled) w = w * (1 - lr * wd);
    else g = g + wd * w;
    m = m + (1 - b1) * (g - m); // lerp with weight 0.1 < 0.5
    v = v * b2 + (1 - b2) * g * g;
    const stepSize = lr / (1 - b1 ** t);
    const denom = Math.sqrt(v) / Math.sqrt(1 - b2 ** t) + eps;
    w = w + (-stepSize * m) / denom;
    out.push(w);
  }
  return out;
}

const run = trajectory;

describe('Adam and AdamW', () => {
  test("Adam's first two steps: each moves by about lr (bias correction), exactly as by hand", () => {
    const w = run((p) => new Adam([p], { lr: 0.1 }), 2);
    // step 1: m = 0.2, v = 0.004, m_hat = 2, v_hat = 4: w = 1 - 0.1 * 2 / (2 + 1e-8) ~ 0.9
    expect(w[0]).toBeCloseTo(0.9, 8);
    // step 2: g = 1.8, m = 0.9*0.2 + 0.18 = 0.36, v = 0.999*0.004 + 0.001*3.24 = 0.007236
    // m_hat = 0.36/0.19 = 1.894737, v_hat = 0.007236/0.001999 = 3.619810; update = 0.1 * 1.894737/1.902580 = 0.0995878
    expect(w[1]).toBeCloseTo(0.9 - 0.0995878, 6);
    expect(w).toEqual(handAdam(1, (x) => 2 * x, 2, 0.1));
  });

  test('L2 weight decay (Adam) and decoupled weight decay (AdamW) match their hand versions', () => {
    expect(run((p) => new Adam([p], { lr: 0.05, weightDecay: 0.1 }), 4)).toEqual(
      handAdam(1, (x) => 2 * x, 4, 0.05, 0.1),
    );
    expect(run((p) => new AdamW([p], { lr: 0.05 }), 4)).toEqual(handAdam(1, (x) => 2 * x, 4, 0.05, 0.01, true));
    expect(new AdamW([new Value(1)]).options.weightDecay).toBe(0.01);
    expect(new Adam([new Value(1)]).options).toEqual({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0 });
  });

  test('a frozen parameter is untouched and keeps its own step count for when it is unfrozen', () => {
    const a = new Value(0.5);
    const b = new Value(2);
    const opt = new AdamW([a, b], { lr: 0.1, weightDecay: 0.01 });
    opt.zeroGrad();
    a.mul(b).backward();
    opt.step();
    a.requiresGrad_(false);
    const frozen = a.data;
    for (let s = 0; s < 3; s++) {
      opt.zeroGrad();
      a.mul(b).backward();
      opt.step();
    }
    expect(a.data).toBe(frozen);
    const state = opt.stateDict();
    expect(state.perParameter.map((p) => p.step)).toEqual([1, 4]);
    a.requiresGrad_(true);
    opt.step();
    expect(opt.stateDict().perParameter[0].step).toBe(2);
  });

  test('state round trip continues bit-identically; bad state changes nothing', () => {
    const trace = (restore: boolean) =>
      restoredTrajectory(
        (w) => new Adam([w], { lr: 0.05 }),
        (w) => new Adam([w]),
        restore,
      );
    expect(trace(true)).toEqual(trace(false));
    const opt = new Adam([new Value(1)]);
    const before = JSON.stringify(opt.stateDict());
    expect(() => opt.loadStateDict({ ...opt.stateDict(), type: 'AdamW' })).toThrow(/not Adam/);
    expect(() =>
      opt.loadStateDict({ ...opt.stateDict(), perParameter: [{ step: -1, expAvg: 0, expAvgSq: 0 }] }),
    ).toThrow(/step must be a non-negative integer/);
    expect(() =>
      opt.loadStateDict({ ...opt.stateDict(), options: { lr: 0.1, betas: [1.5, 0.9], eps: 1e-8, weightDecay: 0 } }),
    ).toThrow(/betas\[0\]/);
    expect(JSON.stringify(opt.stateDict())).toBe(before);
  });

  test('bad hyper-parameters are rejected', () => {
    expect(() => new Adam([new Value(1)], { betas: [0.9, 1] })).toThrow(
      /betas\[1\] must be a finite number in \[0, 1\)/,
    );
    expect(() => new Adam([new Value(1)], { eps: NaN })).toThrow(/eps/);
  });
});
