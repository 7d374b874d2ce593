/**
 * The tensor section of `npm run bench`: float32 matmul 128/256/512 in GFLOP/s and the MLP
 * 784-128-10 step (batch 64, softmax cross-entropy, forward + backward + SGD) in ms, for
 * stopgrad beside TensorFlow.js (pure-JS CPU backend), js-pytorch and hand-written typed-array
 * loops, all timed in this process in interleaved rounds; the figure is the median, and the
 * ratios compare engines measured side by side. Every engine's result is checked against the
 * others before anything is timed.
 */
import { collectGarbage, formatMs, interleavedRounds, median, printTable } from '../harness';
import { handMlp } from './hand-mlp';
import {
  type MatmulFactory,
  checkProducts,
  jsPytorchMatmul,
  kernelMatmul,
  squareInputs,
  tfjsMatmul,
  tiledLoopMatmul,
} from './matmul-peers';
import { type TensorMlpEngine, type TensorMlpFactory, tensorMlpTask } from './mlp-task';
import { jsPytorchMlp, tfjsMlp, useTfjsCpu } from './peer-mlps';

/**
 * SLOTS for the stopgrad Tensor engine: pass these from benchmarks/run.ts once lib/tensor
 * lands, and the tables gain a "stopgrad Tensor" row measured in the same rounds.
 * - `mlp`: build the MLP from the task's weights (copy them into Tensors: W1 [784,128], b1,
 *   W2 [128,10], b2; x [64,784]; integer labels) and return `step()`: forward, crossEntropy,
 *   backward, SGD update under noGrad, returning the loss before the update as a number.
 * - `matmul`: wrap A and B (n×n float32) as Tensors and return a runner computing A.matmul(B)
 *   and returning its data.
 */
export interface StopgradTensorSlots {
  mlp?: TensorMlpFactory;
  matmul?: MatmulFactory;
}

export interface TensorBenchmarkOptions {
  quick?: boolean;
  stopgrad?: StopgradTensorSlots;
}

export async function tensorBenchmark(options: TensorBenchmarkOptions = {}): Promise<void> {
  const quick = options.quick ?? false;
  await useTfjsCpu();
  console.log('\n## Tensors: float32 matmul (GFLOP/s, median of interleaved rounds; higher is better)');
  matmulTable(quick ? [128, 256] : [128, 256, 512], quick ? 3 : 5, options.stopgrad?.matmul);
  console.log('\n## Tensors: MLP 784-128-10 step, batch 64 (forward + backward + SGD, ms, median; lower is better)');
  await mlpTable(quick ? 3 : 7, quick ? 2 : 5, options.stopgrad?.mlp);
}

function matmulTable(sizes: readonly number[], rounds: number, stopgrad?: MatmulFactory): void {
  const engines: [string, MatmulFactory][] = [
    ...(stopgrad ? [['stopgrad Tensor', stopgrad] as [string, MatmulFactory]] : []),
    ['stopgrad JS kernel (blocked matmul)', kernelMatmul],
    ['hand-written tiled Float32Array loop', tiledLoopMatmul],
    ['TensorFlow.js (cpu backend)', tfjsMatmul],
    ['js-pytorch', jsPytorchMatmul],
  ];
  const header = ['engine', ...sizes.map((n) => `${n}`), ...sizes.map((n) => `x tfjs ${n}`)];
  const gflops = engines.map(() => [] as number[]);
  for (const n of sizes) {
    const { a, b } = squareInputs(n);
    const runners = engines.map(([, make]) => make(a, b, n));
    const errors = checkProducts(runners);
    errors.forEach((error, e) => {
      if (!(error < 1e-5))
        throw new Error(`matmul ${n}: ${engines[e][0]} differs from ${engines[0][0]} by ${error} (relative)`);
    });
    for (const run of runners) run(); // warm up (checkProducts ran each once already)
    const steps = Math.max(1, Math.round((128 / n) ** 3 * 16));
    // js-pytorch is two orders of magnitude slower: one call per round is plenty.
    const times = interleavedRounds(
      runners.map((run, e) => () => {
        for (let s = 0; s < (engines[e][1] === jsPytorchMatmul ? 1 : steps); s++) run();
      }),
      rounds,
      1,
    );
    times.forEach((t, e) => {
      const calls = engines[e][1] === jsPytorchMatmul ? 1 : steps;
      gflops[e].push((2 * n ** 3 * calls) / median(t) / 1e6);
    });
  }
  const tfjs = engines.findIndex(([, make]) => make === tfjsMatmul);
  printTable(
    header,
    engines.map(([name], e) => [
      name,
      ...gflops[e].map((g) => g.toFixed(2)),
      ...gflops[e].map((g, s) => `${(g / gflops[tfjs][s]).toFixed(2)}x`),
    ]),
  );
}

/** Runs `steps` steps of each engine from the same weights and returns their losses (rows: engines). */
export async function tensorMlpLosses(steps: number, factories: readonly TensorMlpFactory[]): Promise<number[][]> {
  const task = tensorMlpTask();
  const losses: number[][] = [];
  for (const make of factories) {
    const engine = await make(task);
    losses.push(Array.from({ length: steps }, () => engine.step()));
  }
  return losses;
}

/** Heap plus ArrayBuffer bytes that one call of `step` leaves allocated (after a full GC before it; median of 5). */
export function bytesAllocatedPerStep(step: () => unknown): number {
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    collectGarbage();
    const before = process.memoryUsage();
    step();
    const after = process.memoryUsage();
    samples.push(after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers);
  }
  return median(samples);
}

async function mlpTable(rounds: number, steps: number, stopgrad?: TensorMlpFactory): Promise<void> {
  const factories: TensorMlpFactory[] = [
    ...(stopgrad ? [stopgrad] : []),
    (task) => handMlp(task, 'float32'),
    tfjsMlp,
    jsPytorchMlp,
  ];
  // Same weights, same data: every engine must produce the same losses (to float32 rounding).
  const reference = (await tensorMlpLosses(3, [(task) => handMlp(task, 'float64')]))[0];
  const losses = await tensorMlpLosses(3, factories);
  const task = tensorMlpTask();
  const engines: TensorMlpEngine[] = [];
  for (const make of factories) engines.push(await make(task));
  losses.forEach((row, e) => {
    const worst = Math.max(...row.map((l, s) => Math.abs(l - reference[s]) / reference[s]));
    if (!(worst < 1e-5))
      throw new Error(
        `MLP: ${engines[e].name} losses ${row.join(', ')} differ from the float64 reference ${reference.join(', ')}`,
      );
  });
  console.log(
    `losses of the first 3 steps (all engines agree to 1e-5): ${reference.map((l) => l.toFixed(6)).join(', ')}`,
  );
  for (const engine of engines) for (let s = 0; s < 2; s++) engine.step(); // warm up
  const times = interleavedRounds(
    engines.map((engine) => () => engine.step()),
    rounds,
    steps,
  );
  const ms = times.map(median);
  const tfjs = engines.findIndex((e) => e.name.startsWith('TensorFlow.js'));
  const hand = engines.findIndex((e) => e.name.startsWith('hand-written'));
  const allocated = engines.map((engine) => bytesAllocatedPerStep(() => engine.step()));
  printTable(
    ['engine', 'ms/step', 'tfjs / this', 'this / hand loop', 'new bytes/step'],
    engines.map((engine, e) => [
      engine.name,
      formatMs(ms[e]),
      `${(ms[tfjs] / ms[e]).toFixed(2)}x`,
      `${(ms[e] / ms[hand]).toFixed(2)}x`,
      formatBytes(allocated[e]),
    ]),
  );
  const handEngine = handMlp(task);
  const tensorBytes = handEngine.buffers.reduce((sum, buffer) => sum + buffer.byteLength, 0);
  console.log(
    `memory reference: the hand loop's typed arrays (data, parameters, gradients, activations) hold ${formatBytes(tensorBytes)}; ` +
      `"new bytes/step" is heap + ArrayBuffer growth over one step with no GC in between (target for stopgrad: peak under 3x the tensor bytes).`,
  );
}

function formatBytes(bytes: number): string {
  const abs = Math.abs(bytes);
  return abs >= 1e6 ? `${(bytes / 1e6).toFixed(2)} MB` : abs >= 1e3 ? `${(bytes / 1e3).toFixed(1)} kB` : `${bytes} B`;
}
