/**
 * The optimisers on Tensor parameters against PyTorch 1.13 (float32, `foreach=False`, one
 * thread). Each reference comes from this script, run with /usr/bin/python3:
 *
 *   p = torch.tensor([0.5, -1.25, 2.0, 0.1], requires_grad=True); opt = <optimiser>([p])
 *   for g in [[0.3, -0.7, 1.1, 0.05], [-0.2, 0.4, 0.9, -1.3], [0.6, 0.6, -0.5, 0.25]]:
 *       p.grad = torch.tensor(g); opt.step(); print(p.detach().tolist())
 */
import { Adam, AdamW, SGD, Value, clipGradNorm_, clipGradValue_, tensor } from '../../lib';
import type { SGDState, Tensor } from '../../lib';

const P0 = [0.5, -1.25, 2.0, 0.1];
const GRADS = [
  [0.3, -0.7, 1.1, 0.05],
  [-0.2, 0.4, 0.9, -1.3],
  [0.6, 0.6, -0.5, 0.25],
];

interface Stepper {
  step(): void;
}

/** Three steps from P0 with the gradients above; the parameter after each. */
function run(make: (params: Tensor[]) => Stepper): number[][] {
  const p = tensor(P0, { requiresGrad: true });
  const opt = make([p]);
  return GRADS.map((g) => {
    p.grad = tensor(g);
    opt.step();
    return Array.from(p.data);
  });
}

describe('one step per optimiser on a float32 Tensor matches PyTorch 1.13 bit for bit', () => {
  test('SGD, plain: torch.optim.SGD(lr=0.1)', () => {
    expect(run((ps) => new SGD(ps, { lr: 0.1 }))).toEqual([
      [0.4699999988079071, -1.1799999475479126, 1.8899999856948853, 0.0949999988079071],
      [0.49000000953674316, -1.21999990940094, 1.7999999523162842, 0.22499999403953552],
      [0.4300000071525574, -1.2799999713897705, 1.8499999046325684, 0.19999998807907104],
    ]);
  });

  test('SGD, momentum and dampening: SGD(lr=0.1, momentum=0.9, dampening=0.2)', () => {
    expect(run((ps) => new SGD(ps, { lr: 0.1, momentum: 0.9, dampening: 0.2 }))).toEqual([
      [0.4699999988079071, -1.1799999475479126, 1.8899999856948853, 0.0949999988079071],
      [0.45899999141693115, -1.1489999294281006, 1.718999981880188, 0.19449999928474426],
      [0.4010999798774719, -1.1690999269485474, 1.6050999164581299, 0.2640500068664551],
    ]);
  });

  test('SGD, nesterov and weight decay: SGD(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01)', () => {
    expect(run((ps) => new SGD(ps, { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01 }))).toEqual([
      [0.4710249900817871, -1.1823124885559082, 1.8935999870300293, 0.09515500068664551],
      [0.47722500562667847, -1.1903330087661743, 1.7609410285949707, 0.21649910509586334],
      [0.41656363010406494, -1.2359527349472046, 1.7287272214889526, 0.24329593777656555],
    ]);
  });

  test('Adam: Adam(lr=0.01)', () => {
    expect(run((ps) => new Adam(ps, { lr: 0.01 }))).toEqual([
      [0.49000000953674316, -1.2400000095367432, 1.9900000095367432, 0.09000000357627869],
      [0.48855480551719666, -1.237876296043396, 1.980101466178894, 0.09717848151922226],
      [0.4825029671192169, -1.2403757572174072, 1.9750056266784668, 0.10142156481742859],
    ]);
  });

  test('Adam, L2 weight decay and betas: Adam(lr=0.01, weight_decay=0.1, betas=(0.8, 0.99))', () => {
    expect(run((ps) => new Adam(ps, { lr: 0.01, weightDecay: 0.1, betas: [0.8, 0.99] }))).toEqual([
      [0.49000000953674316, -1.2400000095367432, 1.9900000095367432, 0.09000000357627869],
      [0.48733654618263245, -1.2365249395370483, 1.980123519897461, 0.09753763675689697],
      [0.4802614450454712, -1.2377383708953857, 1.9743218421936035, 0.10149295628070831],
    ]);
  });

  test('AdamW: AdamW(lr=0.01, weight_decay=0.1)', () => {
    expect(run((ps) => new AdamW(ps, { lr: 0.01, weightDecay: 0.1 }))).toEqual([
      [0.4895000159740448, -1.2387499809265137, 1.9880000352859497, 0.08990000188350677],
      [0.4875653088092804, -1.2353875637054443, 1.9761135578155518, 0.09698858112096786],
      [0.48102590441703796, -1.2366516590118408, 1.9690415859222412, 0.10113468021154404],
    ]);
  });

  test('a float64 parameter is updated in float64 (plain SGD by hand)', () => {
    const p = tensor([0.5, -1.25], { requiresGrad: true, dtype: 'float64' });
    p.grad = tensor([0.3, -0.7], { dtype: 'float64' });
    new SGD([p], { lr: 0.1 }).step();
    expect(Array.from(p.data)).toEqual([0.5 + -0.1 * 0.3, -1.25 + -0.1 * -0.7]);
  });
});

describe('parameter groups', () => {
  test('own learning rates, and paramGroups[i].lr writable between steps (PyTorch 1.13 numbers)', () => {
    // a, b = tensor([1., -2.]), tensor([.5]); Adam([{'params': [a], 'lr': 1e-4}, {'params': [b]}], lr=1e-2)
    // two steps with grads GRADS[s][:2] and GRADS[s][2:3]; param_groups[0]['lr'] = 0.5; a third step
    const a = tensor([1, -2], { requiresGrad: true });
    const b = tensor([0.5], { requiresGrad: true });
    const opt = new Adam([{ params: [a], lr: 1e-4 }, { params: [b] }], { lr: 1e-2 });
    expect(opt.paramGroups.map((g) => g.lr)).toEqual([1e-4, 1e-2]);
    expect(opt.paramGroups[1].betas).toEqual([0.9, 0.999]);
    GRADS.forEach((g, s) => {
      if (s === 2) opt.paramGroups[0].lr = 0.5;
      a.grad = tensor(g.slice(0, 2));
      b.grad = tensor(g.slice(2, 3));
      opt.step();
    });
    expect(Array.from(a.data)).toEqual([0.697293758392334, -2.1248531341552734]);
    expect(Array.from(b.data)).toEqual([0.47500571608543396]);
    expect(opt.params).toEqual([a, b]);
  });

  test('a state dict keeps the groups; loading it into a fresh optimiser continues bit-identically', () => {
    const trajectory = (restore: boolean) => {
      const a = tensor([1, -2], { requiresGrad: true });
      const w = new Value(0.5);
      const make = () =>
        new SGD(
          [
            { params: [a], lr: 0.01 },
            { params: [w], momentum: 0.5 },
          ],
          { lr: 0.1, momentum: 0.9 },
        );
      let opt = make();
      for (let s = 0; s < 4; s++) {
        if (restore && s === 2) {
          const saved = JSON.parse(JSON.stringify(opt.stateDict())) as SGDState;
          opt = make();
          opt.paramGroups[0].lr = 123; // overwritten by the load
          opt.loadStateDict(saved);
        }
        a.grad = tensor(GRADS[s % 3].slice(0, 2));
        w.grad = GRADS[s % 3][3];
        opt.step();
      }
      return [...a.data, w.data];
    };
    expect(trajectory(true)).toEqual(trajectory(false));
    const opt = new SGD([{ params: [tensor([1], { requiresGrad: true })], lr: 0.01 }], { lr: 0.1 });
    expect(opt.stateDict().paramGroups).toEqual([
      { lr: 0.01, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, params: [0] },
    ]);
  });

  test('addParamGroup adds a head with its own rate; bad groups are refused', () => {
    const body = tensor([1], { requiresGrad: true });
    const head = tensor([1], { requiresGrad: true });
    const opt = new SGD([body], { lr: 0.1 });
    opt.addParamGroup({ params: [head], lr: 1 });
    body.grad = tensor([1]);
    head.grad = tensor([1]);
    opt.step();
    expect([body.data[0], head.data[0]]).toEqual([Math.fround(0.9), 0]);
    expect(() => opt.addParamGroup({ params: [head] })).toThrow(/appears twice/);
    expect(() => new SGD([{ params: [body], lr: -1 }], { lr: 0.1 })).toThrow(
      /params\[0\]: lr must be a finite number >= 0/,
    );
    expect(() => new SGD([{ params: 3 } as never], { lr: 0.1 })).toThrow(/params\[0\]\.params must be an iterable/);
    expect(() => new SGD([body.mul(2)], { lr: 0.1 })).toThrow(/not a leaf/);
  });
});

describe('frozen parameters and missing gradients', () => {
  test.each([
    ['SGD', (ps: Tensor[]) => new SGD(ps, { lr: 0.1, momentum: 0.9, weightDecay: 0.1 })],
    ['Adam', (ps: Tensor[]) => new Adam(ps, { lr: 0.1, weightDecay: 0.1 })],
    ['AdamW', (ps: Tensor[]) => new AdamW(ps, { lr: 0.1 })],
  ])(
    '%s never touches a frozen tensor or one whose grad is null; the others move and bump their version',
    (_, make) => {
      const frozen = tensor([1, 2], { requiresGrad: true });
      const noGradYet = tensor([3], { requiresGrad: true });
      const live = tensor([4], { requiresGrad: true });
      const opt = make([frozen, noGradYet, live]);
      frozen.grad = tensor([1, 1]);
      frozen.requiresGrad_(false);
      live.grad = tensor([1]);
      const versions = [frozen, noGradYet, live].map((t) => t._storage.version);
      opt.step();
      opt.step();
      expect(Array.from(frozen.data)).toEqual([1, 2]);
      expect(Array.from(noGradYet.data)).toEqual([3]);
      expect(live.data[0]).toBeLessThan(4);
      expect([frozen, noGradYet, live].map((t) => t._storage.version)).toEqual([
        versions[0],
        versions[1],
        versions[2] + 2,
      ]);
      expect((opt as SGD).stateDict().perParameter[0]).not.toHaveProperty('step', 2);
    },
  );

  test('a graph that saved a parameter refuses backward after the step changed it', () => {
    const w = tensor([2], { requiresGrad: true });
    const y = w.mul(w).sum();
    w.grad = tensor([1]);
    new SGD([w], { lr: 0.1 }).step();
    expect(() => y.backward()).toThrow(/modified by an in-place operation/);
  });
});

describe('gradient clipping on tensors', () => {
  test('clipGradNorm_ over Tensors and Values together, as torch.nn.utils.clip_grad_norm_', () => {
    // a.grad = [3, -4]; b.grad = [[12, 0.5]]; clip_grad_norm_([a, b], 2.0)
    // -> 13.009612083435059, a.grad [0.4611974358558655, -0.6149299144744873], b.grad [[1.844789743423462, 0.07686623930931091]]
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([[0.5, -1.5]], { requiresGrad: true });
    a.grad = tensor([3, -4]);
    b.grad = tensor([[12, 0.5]]);
    const norm = clipGradNorm_([a, b], 2);
    expect(norm).toBeCloseTo(13.009612083435059, 6);
    expect(Array.from(a.grad.data)).toEqual([0.4611974358558655, -0.6149299144744873]);
    expect(Array.from(b.grad.data)).toEqual([1.844789743423462, 0.07686623930931091]);
    const v = new Value(0);
    v.grad = 12;
    const t = tensor([0, 0], { requiresGrad: true });
    t.grad = tensor([3, 4]);
    expect(clipGradNorm_([v, t, tensor([1], { requiresGrad: true })], 1)).toBe(13);
    expect(v.grad).toBeCloseTo(12 / 13, 6);
  });

  test('clipGradValue_ clamps tensor grads in place; a frozen tensor keeps its grad', () => {
    const a = tensor([1, 2, 3], { requiresGrad: true });
    const f = tensor([1], { requiresGrad: true });
    a.grad = tensor([-3, 0.25, 9]);
    f.grad = tensor([9]);
    f.requiresGrad_(false);
    const grad = a.grad;
    clipGradValue_([a, f], 0.5);
    expect(a.grad).toBe(grad);
    expect(Array.from(a.grad.data)).toEqual([-0.5, 0.25, 0.5]);
    expect(Array.from(f.grad.data)).toEqual([9]);
  });
});
