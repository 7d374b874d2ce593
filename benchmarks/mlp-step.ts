/**
 * MLP step: micrograd's demo (see models/mlp-task.ts) on the naive micrograd port, on stopgrad
 * three ways (the same graph as the port; Value.sum per neuron; the library's nn.MLP and SGD),
 * and as a fused loop with no graph. All must produce the same losses; then each
 * is timed in interleaved rounds in this process and compared by ratios.
 */
import {
  type GcStats,
  collectGarbage,
  formatMs,
  interleavedRounds,
  median,
  printTable,
  retainedBytes,
  withGcStats,
} from './harness';
import type { MlpEngine } from './models/mlp-task';
import { naiveMlp } from './models/naive-mlp';
import { stopgradMlp, stopgradNnMlp } from './models/stopgrad-mlp';
import { fusedMlp } from './reference/fused-mlp';

const makers: (() => MlpEngine)[] = [
  naiveMlp,
  () => stopgradMlp('chain'),
  () => stopgradMlp('sum'),
  stopgradNnMlp,
  fusedMlp,
];

/** The first `steps` losses of every engine, from fresh instances; throws if they disagree. */
export function checkSameLosses(steps: number): number[][] {
  const losses = makers.map((make) => {
    const engine = make();
    return Array.from({ length: steps }, () => engine.step());
  });
  losses.forEach((row, e) =>
    row.forEach((loss, s) => {
      if (!(Math.abs(loss - losses[0][s]) <= 1e-12 * Math.abs(losses[0][s]))) {
        throw new Error(`MLP step: engine ${e} has loss ${loss} at step ${s}, the naive port ${losses[0][s]}`);
      }
    }),
  );
  return losses;
}

export interface MlpResult {
  name: string;
  msPerStep: number;
  nodes: number;
  bytesPerNode: number;
  gcPerStep: GcStats;
}

export async function mlpStepBenchmark(rounds: number, steps: number): Promise<MlpResult[]> {
  console.log('\n## MLP step: micrograd demo, MLP 2-16-16-1, 100 two-moons points, hinge + L2, SGD lr 0.1\n');
  const losses = checkSameLosses(3);
  console.log(`same losses for the first steps in every engine: ${losses[0].map((l) => l.toFixed(15)).join(', ')}\n`);

  const engines = makers.map((make) => make());
  for (const engine of engines) for (let s = 0; s < 5; s++) engine.step(); // warm up the JIT
  const times = interleavedRounds(
    engines.map((engine) => () => engine.step()),
    rounds,
    steps,
  );
  const results: MlpResult[] = [];
  for (const [e, engine] of engines.entries()) {
    const nodes = engine.nodesPerStep();
    collectGarbage();
    const { gc } = await withGcStats(() => {
      for (let s = 0; s < steps; s++) engine.step();
    });
    results.push({
      name: engine.name,
      msPerStep: median(times[e]),
      nodes,
      bytesPerNode: nodes > 0 ? retainedBytes(() => engine.buildLoss(), nodes) : NaN,
      gcPerStep: { minor: gc.minor / steps, major: gc.major / steps, ms: gc.ms / steps },
    });
  }
  const naive = results[0].msPerStep;
  const fused = results[results.length - 1].msPerStep;
  printTable(
    ['engine', 'ms/step', 'naive / this', 'this / fused', 'nodes/step', 'bytes/node', 'GC/step (minor, ms)'],
    results.map((r) => [
      r.name,
      formatMs(r.msPerStep),
      (naive / r.msPerStep).toFixed(1) + 'x',
      (r.msPerStep / fused).toFixed(1) + 'x',
      r.nodes > 0 ? r.nodes.toLocaleString('en') : '-',
      Number.isNaN(r.bytesPerNode) ? '-' : r.bytesPerNode.toFixed(0),
      `${r.gcPerStep.minor.toFixed(1)}, ${formatMs(r.gcPerStep.ms)}`,
    ]),
  );
  console.log(
    `\n(median of ${rounds} interleaved rounds of ${steps} steps each, a full GC before each block; target: naive / stopgrad >= 3x, stretch 5x)`,
  );
  return results;
}
