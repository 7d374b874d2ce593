/**
 * The tensor engine on WebAssembly (issue 13), in one process beside its peers: the MLP
 * 784-128-10 training step (stopgrad wasm and js backends, tfjs-wasm, tfjs-cpu, jax-js eager
 * and jit), a small CNN step (beside tfjs; tfjs-backend-wasm has no Conv2DBackpropFilter
 * kernel, so its CNN runs on tfjs-cpu), allocations per step, and memory over 10,000 steps.
 * Interleaved rounds (every engine once per round, a GC before each block), medians, and
 * paired ratios (median over rounds of peer time / stopgrad wasm time: >1 means stopgrad is
 * faster). Every engine's losses are checked against stopgrad's over three steps first.
 */
import { fmaSupported } from '../../lib/backends/wasm/module';
import { wasmBackend } from '../../lib/tensor/backend-choice';
import { collectGarbage, median, printTable } from '../harness';
import { bytesAllocatedPerStep } from '../tensor/peers';
import { type MlpEngine, jaxMlp, stopgradCnn, stopgradMlp, tfjsCnn, tfjsMlp } from './engine-peers';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

function loadTfjs(): Any {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a peer, loaded lazily
  const tf: Any = require('@tensorflow/tfjs');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- registers the backend
  require('@tensorflow/tfjs-backend-wasm');
  tf.env().set('IS_TEST', false);
  return tf;
}

/** Checks losses over three steps, then times `steps` steps per engine per round. */
async function race(engines: MlpEngine[], rounds: number, steps: number, label: string): Promise<void> {
  const losses: number[][] = [];
  for (const e of engines) {
    await e.enter();
    losses.push([e.step(), e.step(), e.step()]);
  }
  const worst = Math.max(...losses.flatMap((l) => l.map((v, i) => Math.abs(v - losses[0][i]))));
  if (!(worst < 1e-4)) throw new Error(`${label}: losses differ: ${JSON.stringify(losses)}`);
  const times = engines.map(() => [] as number[]);
  for (let round = 0; round < rounds; round++) {
    for (const [i, e] of engines.entries()) {
      await e.enter();
      e.step(); // after a backend switch, the first step may move data
      collectGarbage();
      const start = performance.now();
      for (let s = 0; s < steps; s++) e.step();
      times[i].push((performance.now() - start) / steps);
    }
  }
  console.log(
    `\n${label} (losses agree to ${worst.toExponential(1)} over 3 steps; ${rounds} rounds of ${steps} steps):`,
  );
  printTable(
    ['engine', 'ms/step (median)', 'ratio to stopgrad wasm'],
    engines.map((e, i) => [
      e.name,
      median(times[i]).toFixed(3),
      `${median(times[i].map((t, r) => t / times[0][r])).toFixed(2)}x`,
    ]),
  );
}

/** Wasm allocations and JS bytes per step, then memory over `total` steps of the MLP. */
function memory(total: number): void {
  const mlp = stopgradMlp('wasm');
  void mlp.enter();
  const heap = wasmBackend().heap;
  for (let i = 0; i < 20; i++) mlp.step();
  let allocs = 0;
  const alloc = heap.alloc.bind(heap);
  heap.alloc = (n: number) => (allocs++, alloc(n));
  mlp.step();
  heap.alloc = alloc;
  const jsBytes = bytesAllocatedPerStep(() => mlp.step());
  const snapshot = () => {
    collectGarbage();
    return {
      wasm: heap.memory.buffer.byteLength,
      resident: heap.residentBytes,
      js: process.memoryUsage().heapUsed,
    };
  };
  const first = snapshot();
  const start = performance.now();
  for (let i = 0; i < total; i++) mlp.step();
  const ms = (performance.now() - start) / total;
  const last = snapshot();
  const mb = (b: number) => (b / 2 ** 20).toFixed(2);
  console.log(
    `\nstopgrad wasm MLP: ${allocs} wasm buffers allocated per step, ${(jsBytes / 1024).toFixed(1)} KB of JS heap left per step before GC`,
  );
  printTable(
    ['after', 'wasm memory MB', 'resident MB', 'JS heap MB', 'budget evictions'],
    [
      ['20 steps', mb(first.wasm), mb(first.resident), mb(first.js), String(heap.budgetEvictions)],
      [
        `${total + 20} steps (${ms.toFixed(3)} ms/step)`,
        mb(last.wasm),
        mb(last.resident),
        mb(last.js),
        String(heap.budgetEvictions),
      ],
    ],
  );
}

/** `npm run bench -- --only=wasm`, after the kernel tables: the engine-level figures. */
export async function wasmEngineBenchmark(quick: boolean): Promise<void> {
  const tf = loadTfjs();
  // The FMA build where relaxed SIMD validates (`npm run bench` passes the Node 20 flag).
  const fma = fmaAvailable();
  const mlps = [
    stopgradMlp('wasm'),
    ...(fma ? [stopgradMlp('wasm-fma')] : []),
    await tfjsMlp(tf, 'wasm'),
    await jaxMlp(false),
    await jaxMlp(true),
    await tfjsMlp(tf, 'cpu'),
    stopgradMlp('js'),
    // Opt-in threads (stopgrad/node useWasmThreads(2)) last.
    stopgradMlp('wasm-2t'),
    ...(fma ? [stopgradMlp('wasm-fma-2t')] : []),
  ];
  console.log("\n## The tensor engine on WebAssembly: training steps through stopgrad's tensor ops");
  await race(
    mlps,
    quick ? 3 : 9,
    quick ? 3 : 20,
    'MLP 784-128-10, batch 64, softmax cross-entropy, forward + backward + SGD',
  );
  const cnns = [
    stopgradCnn('wasm'),
    ...(fma ? [stopgradCnn('wasm-fma')] : []),
    stopgradCnn('js'),
    await tfjsCnn(tf, 'cpu'),
    stopgradCnn('wasm-2t'),
    ...(fma ? [stopgradCnn('wasm-fma-2t')] : []),
  ];
  await race(
    cnns,
    quick ? 2 : 5,
    quick ? 1 : 3,
    'CNN conv3x3(16) + ReLU + maxpool 2 + linear, batch 32 of 28x28 (tfjs-wasm cannot train conv: no Conv2DBackpropFilter)',
  );
  memory(quick ? 500 : 10_000);
}

/** Whether the FMA build loads here. */
function fmaAvailable(): boolean {
  return fmaSupported();
}
