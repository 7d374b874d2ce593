/**
 * Two ways of choosing what a loss may move.
 * 1. Progressive unfreezing: a pretrained MLP is adapted to a new task by unfreezing its
 *    layers from the top down, one stage at a time; at every stage the still-frozen layers
 *    stay bit-for-bit unchanged.
 * 2. Multi-task: a shared body with two heads. Task A's loss never moves head B, and task B,
 *    which reads the body's features through stopGradient, never moves the body.
 */
import { Layer, MLP, type Module, SGD, Value, makeMoons, seededRng, stopGradient } from '../lib';

export interface CurriculumResult {
  stages: { unfrozen: number; loss: number; frozenUnchanged: boolean }[];
  headBUntouchedByA: boolean;
  bodyUntouchedByB: boolean;
  lossA: number;
  lossB: number;
}

const snapshot = (m: Module) => m.parameters().map((p) => p.data);
const same = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => Object.is(x, b[i]));

function hingeLoss(scores: Value[], ys: number[]): Value {
  return Value.sum(scores.map((s, i) => s.mul(-ys[i]).add(1).relu())).div(scores.length);
}

export function runCurriculum(log: (line: string) => void = console.log, steps = 60): CurriculumResult {
  // 1. Progressive unfreezing.
  const { xs, ys } = makeMoons(80, { noise: 0.1, rng: seededRng(11) });
  const model = new MLP(2, [12, 12, 1], { rng: seededRng(12) });
  const pretrain = new SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
  for (let s = 0; s < steps; s++) {
    pretrain.zeroGrad();
    hingeLoss(
      xs.map((x) => model.call(x)[0]),
      ys,
    ).backward();
    pretrain.step();
  }
  // The new task: the moons mirrored left to right.
  const newYs = xs.map(([x0], i) => (x0 > 0.5 ? -ys[i] : ys[i]));
  model.freeze();
  const opt = new SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
  const stages: CurriculumResult['stages'] = [];
  for (let unfrozen = 1; unfrozen <= model.layers.length; unfrozen++) {
    const open = model.layers.slice(-unfrozen);
    const closed = model.layers.slice(0, -unfrozen);
    open[0].unfreeze();
    const before = closed.map(snapshot);
    let loss = 0;
    for (let s = 0; s < steps; s++) {
      opt.zeroGrad();
      const l = hingeLoss(
        xs.map((x) => model.call(x)[0]),
        newYs,
      );
      l.backward();
      opt.step();
      loss = l.data;
    }
    const frozenUnchanged = closed.every((layer, i) => same(snapshot(layer), before[i]));
    stages.push({ unfrozen, loss, frozenUnchanged });
    log(
      `stage ${unfrozen}: top ${unfrozen} layer(s) trainable  loss ${loss.toFixed(4)}  frozen layers unchanged: ${frozenUnchanged}`,
    );
  }

  // 2. Multi-task with a shared body.
  const body = new Layer(2, 8, { activation: 'tanh', rng: seededRng(21) });
  const headA = new Layer(8, 1, { rng: seededRng(22) });
  const headB = new Layer(8, 1, { rng: seededRng(23) });
  const labelsB = xs.map(([, x1]) => (x1 > 0.25 ? 1 : -1));
  const all = new SGD([...body.parameters(), ...headA.parameters(), ...headB.parameters()], {
    lr: 0.05,
    momentum: 0.9,
  });
  let headBUntouchedByA = true;
  let bodyUntouchedByB = true;
  let lossA = 0;
  let lossB = 0;
  for (let s = 0; s < steps; s++) {
    const features = xs.map((x) => body.call(x));
    const a = hingeLoss(
      features.map((f) => headA.call(f)[0]),
      ys,
    );
    const b = hingeLoss(
      features.map((f) => headB.call(f.map(stopGradient))[0]),
      labelsB,
    );
    all.zeroGrad();
    a.backward();
    if (headB.parameters().some((p) => p.grad !== 0)) headBUntouchedByA = false;
    const bodyGradsFromA = body.parameters().map((p) => p.grad);
    b.backward();
    if (
      !same(
        body.parameters().map((p) => p.grad),
        bodyGradsFromA,
      )
    )
      bodyUntouchedByB = false;
    all.step();
    [lossA, lossB] = [a.data, b.data];
  }
  log(
    `multi-task: loss A ${lossA.toFixed(4)}, loss B ${lossB.toFixed(4)}; A never moved head B: ${headBUntouchedByA}; B (through stopGradient) never moved the body: ${bodyUntouchedByB}`,
  );
  return { stages, headBUntouchedByA, bodyUntouchedByB, lossA, lossB };
}

if (require.main === module) {
  const r = runCurriculum();
  const ok =
    r.stages.every((s) => s.frozenUnchanged) &&
    r.stages[r.stages.length - 1].loss < r.stages[0].loss &&
    r.headBUntouchedByA &&
    r.bodyUntouchedByB;
  console.log(
    `${ok ? 'OK' : 'FAILED'}: each unfreezing stage improved the new task without touching frozen layers; the multi-task losses moved only what they may`,
  );
  if (!ok) process.exit(1);
}
