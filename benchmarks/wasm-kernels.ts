/**
 * WebAssembly kernels (issue 13): float32 matmul in GFLOP/s and relu(x + y) on 1M floats, for
 * stopgrad's WasmBackend beside TensorFlow.js on its WebAssembly backend (XNNPACK), tfjs's CPU
 * backend (small sizes only: it is ~1 GFLOP/s) and jax-js on WebAssembly, eager and jit. One
 * process, interleaved rounds (every engine once per round), medians, and paired ratios (the
 * median over rounds of peer time / stopgrad time, so >1 means stopgrad is faster).
 *
 * What each engine's timed call includes: stopgrad and tfjs compute eagerly and synchronously
 * (the result stays in wasm memory, then is freed/disposed); jax-js is lazy, so its call ends
 * with dataSync(), which also copies the result out (m*n floats, a few % at 128, <2% at 1024).
 */
import { availableParallelism } from 'os';
import type { Backend } from '../lib/backends/backend';
import { fmaSupported } from '../lib/backends/wasm/module';
import { WasmBackend } from '../lib/backends/wasm/wasm-backend';
import { threadedBackend } from '../lib/node/wasm-threads';
import { collectGarbage, median, printTable, seededFloats } from './harness';
import { kernelMlp, tfjsMlp } from './wasm-mlp-step';

interface Engine {
  name: string;
  /** Prepares inputs for one workload and returns the timed call, or null when skipped. */
  setup(kind: 'matmul' | 'relu-add', n: number): (() => unknown) | null;
  /** A result of the last setup's call, for the agreement check. */
  check(): Float32Array;
}

const unreachable = new Proxy({} as Backend, {
  get: () => () => {
    throw new Error('bench: the JS fallback was reached');
  },
});

/** stopgrad's WasmBackend: one thread, or `threads` (useWasmThreads' backend, default 4 MFLOP threshold). */
function stopgradEngine(fma: boolean, threads = 1): Engine {
  const wasm =
    threads === 1
      ? new WasmBackend(unreachable, { fma })
      : threadedBackend(threads, fma, 4e6, { fallback: unreachable }).backend;
  let last: () => Float32Array = () => new Float32Array(0);
  return {
    name: `stopgrad wasm${fma ? ' FMA' : ''}${threads === 1 ? '' : `, ${threads} threads`}`,
    setup(kind, n) {
      if (kind === 'matmul') {
        const a = wasm.fromArray('float32', seededFloats(n * n, 1)),
          b = wasm.fromArray('float32', seededFloats(n * n, 2));
        const c = wasm.alloc('float32', n * n);
        last = () => c.view() as Float32Array;
        return () => wasm.matmul(a.view(), b.view(), c.view(), 1, n, n, n, 0, 0, false, false);
      }
      const x = wasm.fromArray('float32', seededFloats(n, 1)),
        y = wasm.fromArray('float32', seededFloats(n, 2));
      let keep = wasm.alloc('float32', n);
      last = () => keep.view() as Float32Array;
      return () => {
        // As the tensor engine would: allocate each result (uninitialised), free the intermediate.
        const sum = wasm.empty('float32', n),
          out = wasm.empty('float32', n);
        wasm.binary('add', x.view(), [1], y.view(), [1], [n], sum.view());
        wasm.unary('relu', sum.view(), out.view());
        wasm.release(sum);
        wasm.release(keep);
        keep = out;
      };
    },
    check: () => last().slice(),
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

let tfHandle: Any = null;

async function tfjsEngines(): Promise<Engine[]> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily: a peer for this section only
  const tf: Any = require('@tensorflow/tfjs');
  tfHandle = tf;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- registers the backend
  require('@tensorflow/tfjs-backend-wasm');
  tf.env().set('IS_TEST', false);
  await tf.setBackend('wasm');
  await tf.ready();
  const make = (backend: 'wasm' | 'cpu'): Engine => {
    let result: Any = null;
    let inputs: Any[] = [];
    return {
      name: backend === 'wasm' ? 'tfjs-wasm' : 'tfjs-cpu',
      setup(kind, n) {
        if (backend === 'cpu' && kind === 'matmul' && n > 256) return null;
        tf.setBackend(backend);
        inputs.forEach((t) => t.dispose());
        result?.dispose();
        result = null;
        const size = kind === 'matmul' ? [n, n] : [n];
        inputs = [
          tf.tensor(
            seededFloats(
              size.reduce((p, d) => p * d, 1),
              1,
            ),
            size,
          ),
          tf.tensor(
            seededFloats(
              size.reduce((p, d) => p * d, 1),
              2,
            ),
            size,
          ),
        ];
        const [a, b] = inputs;
        return () => {
          if (tf.getBackend() !== backend) tf.setBackend(backend);
          result?.dispose();
          if (kind === 'matmul') result = tf.matMul(a, b);
          else result = tf.tidy(() => tf.relu(tf.add(a, b)));
        };
      },
      check: () => new Float32Array(result.dataSync()),
    };
  };
  await tf.setBackend('cpu');
  await tf.setBackend('wasm');
  return [make('wasm'), make('cpu')];
}

async function jaxEngines(): Promise<Engine[]> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily
  const jax: Any = require('@jax-js/jax');
  await jax.init('wasm');
  jax.defaultDevice('wasm');
  const np = jax.numpy;
  const make = (jitted: boolean): Engine => {
    let out = new Float32Array(0);
    let inputs: Any[] = [];
    return {
      name: jitted ? 'jax-js jit' : 'jax-js eager',
      setup(kind, n) {
        inputs.forEach((t) => t.dispose());
        const size = kind === 'matmul' ? [n, n] : [n];
        const total = size.reduce((p, d) => p * d, 1);
        inputs = [np.array(seededFloats(total, 1)).reshape(size), np.array(seededFloats(total, 2)).reshape(size)];
        const fn =
          kind === 'matmul' ? (a: Any, b: Any) => np.matmul(a, b) : (a: Any, b: Any) => jax.nn.relu(np.add(a, b));
        const run = jitted ? jax.jit(fn) : fn;
        const [a, b] = inputs;
        return () => {
          out = run(a.ref, b.ref).dataSync();
        };
      },
      check: () => new Float32Array(out),
    };
  };
  return [make(false), make(true)];
}

/** Times every engine on one workload; returns per-engine medians (ms) and ratios to engine 0. */
function race(
  engines: Engine[],
  kind: 'matmul' | 'relu-add',
  n: number,
  rounds: number,
  targetMs: number,
): { ms: (number | null)[]; ratio: (number | null)[]; error: (number | null)[] } {
  const calls = engines.map((e) => e.setup(kind, n));
  calls.forEach((call) => call?.()); // warm-up (jit compiles, packs, allocates)
  const reference = engines[0].check();
  const error = engines.map((e, i) => {
    if (calls[i] === null) return null;
    const got = e.check();
    let worst = 0;
    for (let j = 0; j < reference.length; j++)
      worst = Math.max(worst, Math.abs(got[j] - reference[j]) / Math.max(1, Math.abs(reference[j])));
    return worst;
  });
  // Calls per block so a block of stopgrad's call lasts about targetMs.
  let start = performance.now();
  calls[0]!();
  const once = Math.max(performance.now() - start, 1e-3);
  const steps = Math.max(1, Math.round(targetMs / once));
  const times = engines.map(() => [] as number[]);
  for (let round = 0; round < rounds; round++) {
    calls.forEach((call, i) => {
      if (call === null) return;
      collectGarbage();
      start = performance.now();
      for (let s = 0; s < steps; s++) call();
      times[i].push((performance.now() - start) / steps);
    });
  }
  const ms = times.map((t, i) => (calls[i] === null ? null : median(t)));
  const ratio = times.map((t, i) => (calls[i] === null ? null : median(t.map((v, r) => v / times[0][r]))));
  return { ms, ratio, error };
}

/** `npm run bench -- --only=wasm`: matmul 128..1024 and relu(x + y) on 1M floats. */
export async function wasmKernelsBenchmark(quick: boolean): Promise<void> {
  const engines: Engine[] = [stopgradEngine(false)];
  if (fmaSupported()) engines.push(stopgradEngine(true));
  engines.push(...(await tfjsEngines()), ...(await jaxEngines()));
  // Opt-in threads last, so the peers' ratios stay one thread against one thread.
  engines.push(stopgradEngine(false, 2));
  if (fmaSupported()) engines.push(stopgradEngine(true, 2));
  const names = engines.map((e) => e.name);
  console.log(
    `\n## WebAssembly kernels (float32, one thread unless the column says 2 threads: stopgrad/node useWasmThreads(2), on ${availableParallelism()} cores${fmaSupported() ? '' : '; FMA build not loadable here: Node 20 needs --experimental-wasm-relaxed-simd'})`,
  );
  const sizes = quick ? [128, 256] : [128, 256, 512, 1024];
  const rows: (string | number)[][] = [];
  for (const n of sizes) {
    const { ms, ratio, error } = race(engines, 'matmul', n, quick ? 3 : 7, quick ? 20 : 150);
    const gflops = ms.map((t) => (t === null ? '-' : ((2 * n ** 3) / t / 1e6).toFixed(1)));
    rows.push([`matmul ${n} GFLOP/s`, ...gflops]);
    rows.push([`  ratio peer/stopgrad`, ...ratio.map((r) => (r === null ? '-' : `${r.toFixed(2)}x`))]);
    if (error.some((e) => e !== null && e > 1e-4))
      rows.push(['  max rel. difference', ...error.map((e) => (e === null ? '-' : e.toExponential(1)))]);
  }
  const n = quick ? 100_000 : 1_000_000;
  const { ms, ratio, error } = race(engines, 'relu-add', n, quick ? 3 : 9, quick ? 20 : 100);
  rows.push([`relu(x+y) ${n / 1e6}M ms`, ...ms.map((t) => (t === null ? '-' : t.toFixed(3)))]);
  rows.push([`  ratio peer/stopgrad`, ...ratio.map((r) => (r === null ? '-' : `${r.toFixed(2)}x`))]);
  if (error.some((e) => e !== null && e > 0))
    rows.push(['  max rel. difference', ...error.map((e) => (e === null ? '-' : e.toExponential(1)))]);
  printTable(['workload', ...names], rows);
  await mlpFloor(quick);
}

/** The MLP step on raw kernels (no autograd) beside tfjs-wasm: the floor under the engine. */
async function mlpFloor(quick: boolean): Promise<void> {
  const tf = tfHandle;
  await tf.setBackend('wasm');
  const ours = kernelMlp(unreachable),
    theirs = tfjsMlp(tf);
  const l1 = [ours(), ours(), ours()],
    l2 = [theirs(), theirs(), theirs()];
  const worst = Math.max(...l1.map((l, i) => Math.abs(l - l2[i])));
  if (!(worst < 1e-4)) throw new Error(`MLP floor: losses differ (${l1.join(', ')} vs ${l2.join(', ')})`);
  const times: number[][] = [[], []];
  const steps = quick ? 5 : 30;
  for (let round = 0; round < (quick ? 3 : 9); round++) {
    [ours, theirs].forEach((run, i) => {
      collectGarbage();
      const start = performance.now();
      for (let s = 0; s < steps; s++) run();
      times[i].push((performance.now() - start) / steps);
    });
  }
  const ratio = median(times[1].map((t, r) => t / times[0][r]));
  console.log(
    `\nMLP 784-128-10, batch 64, one SGD step on the raw kernels (no autograd; losses agree to ${worst.toExponential(1)} over 3 steps):`,
  );
  printTable(
    ['engine', 'ms/step', 'ratio'],
    [
      ['stopgrad wasm kernels', median(times[0]).toFixed(3), '1.00x'],
      ['tfjs-wasm minimize', median(times[1]).toFixed(3), `${ratio.toFixed(2)}x`],
    ],
  );
}
