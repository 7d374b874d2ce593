/**
 * `npm run demo`: stop-gradient at work in a short, visible training run.
 *  1. The detach_ example: x = 3, y = x*x, y.detach_(), (y*x).backward() gives x.grad = 9, not 27.
 *  2. Train an MLP on two moons (micrograd's demo) to >= 97% accuracy, printing progress.
 *  3. Feature extraction: freeze the trained body, train a new head on a new task, and check
 *     that every frozen weight is bit-for-bit unchanged.
 *  4. Draw the graph of a small model with frozen, detached and stop-gradient parts to graph.svg.
 */
import * as path from 'path';
import { Layer, MLP, SGD, Value, makeMoons, seededRng } from '../lib';
import { drawExample } from './draw-graph';

export interface DemoResult {
  detachedGrad: number;
  accuracy: number;
  headAccuracy: number;
  frozenUnchanged: boolean;
  frozenGradsZero: boolean;
}

type Log = (line: string) => void;

/** Mean hinge loss of `scores` against labels -1/+1, plus L2 on `params`; and the accuracy. */
function hinge(scores: Value[], ys: number[], params: Value[]): { loss: Value; accuracy: number } {
  const losses = scores.map((s, i) => s.mul(-ys[i]).add(1).relu());
  const loss = Value.sum(losses)
    .mul(1 / losses.length)
    .add(Value.dot(params, params).mul(1e-4));
  const accuracy = scores.filter((s, i) => s.data * ys[i] > 0).length / scores.length;
  return { loss, accuracy };
}

export function runDemo(log: Log = console.log, steps = 100): DemoResult {
  const x = new Value(3);
  const y = x.mul(x);
  y.detach_();
  y.mul(x).backward();
  log(`1. x = 3; y = x*x; y.detach_(); (y*x).backward()  ->  x.grad = ${x.grad}  (27 without the detach_)\n`);

  log('2. Training an MLP 2-16-16-1 on 100 two-moons points (hinge loss + L2, SGD with momentum)');
  const { xs, ys } = makeMoons(100, { noise: 0.1, rng: seededRng(1337) });
  const model = new MLP(2, [16, 16, 1], { rng: seededRng(42) });
  const opt = new SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
  let accuracy = 0;
  for (let step = 1; step <= steps; step++) {
    const result = hinge(
      xs.map((p) => model.call(p)[0]),
      ys,
      model.parameters(),
    );
    accuracy = result.accuracy;
    opt.zeroGrad();
    result.loss.backward();
    opt.step();
    if (step % 10 === 0 || step === 1)
      log(
        `   step ${String(step).padStart(3)}  loss ${result.loss.data.toFixed(4)}  accuracy ${(accuracy * 100).toFixed(0)}%`,
      );
  }

  log('\n3. Feature extraction: freeze the body (first two layers), train a new head on a new task');
  const body = model.layers.slice(0, 2);
  for (const layer of body) layer.freeze().zeroGrad();
  const frozenBefore = body.map((layer) => layer.stateDict());
  const features = (p: [number, number]) => body.reduce<(Value | number)[]>((h, layer) => layer.call(h), p);
  // The new task: the same kind of data, labelled by which side of the line x0 = 0.5 a point is on.
  const task = makeMoons(100, { noise: 0.15, rng: seededRng(7) });
  const labels = task.xs.map(([x0]) => (x0 > 0.5 ? 1 : -1));
  const head = new Layer(16, 1, { rng: seededRng(3) });
  const headOpt = new SGD(head.parameters(), { lr: 0.05, momentum: 0.9 });
  let headAccuracy = 0;
  for (let step = 1; step <= steps; step++) {
    const result = hinge(
      task.xs.map((p) => head.call(features(p))[0]),
      labels,
      head.parameters(),
    );
    headAccuracy = result.accuracy;
    headOpt.zeroGrad();
    result.loss.backward();
    headOpt.step();
    if (step % 25 === 0 || step === 1)
      log(
        `   head step ${String(step).padStart(3)}  loss ${result.loss.data.toFixed(4)}  accuracy ${(headAccuracy * 100).toFixed(0)}%`,
      );
  }
  const frozenUnchanged = body.every((layer, i) =>
    Object.entries(layer.stateDict()).every(([name, w]) => Object.is(w, frozenBefore[i][name])),
  );
  const frozenGradsZero = body.every((layer) => layer.parameters().every((p) => p.grad === 0));
  const bodyCount = body.reduce((n, layer) => n + layer.parameters().length, 0);
  log(
    `   all ${bodyCount} frozen body weights bit-for-bit unchanged: ${frozenUnchanged}; no gradient reached them (.grad all 0): ${frozenGradsZero}`,
  );
  return { detachedGrad: x.grad, accuracy, headAccuracy, frozenUnchanged, frozenGradsZero };
}

async function main(): Promise<void> {
  const started = performance.now();
  const result = runDemo();
  const file = path.resolve('graph.svg');
  const { why } = await drawExample(file);
  console.log(
    `\n4. The graph of a small model with a frozen weight, a node cut by detach_() and a stopGradient input: ${file}`,
  );
  console.log(`   explainGrad: ${why}`);
  const seconds = (performance.now() - started) / 1000;
  const ok =
    result.detachedGrad === 9 &&
    result.accuracy >= 0.97 &&
    result.frozenUnchanged &&
    result.frozenGradsZero &&
    result.headAccuracy >= 0.9;
  console.log(
    `\n${ok ? 'OK' : 'FAILED'}: accuracy ${(result.accuracy * 100).toFixed(0)}% (>= 97%), new head ${(result.headAccuracy * 100).toFixed(0)}%, frozen body unchanged, in ${seconds.toFixed(1)} s`,
  );
  if (!ok) process.exit(1);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
