/**
 * The MNIST section of `npm run bench` (issue 14): the small CNN of examples/mnist-cnn
 * (conv3×3(16)-relu-pool-conv3×3(32)-relu-pool-linear, Adam 1e-3, softmax cross-entropy) and
 * the MLP 784-128-10, on the real digits of the `mnist` package: one training step (batch 64)
 * and one epoch (8,000 digits, 125 steps of 64, shuffled), for stopgrad beside TensorFlow.js
 * on its CPU backend (pure JavaScript) and its WebAssembly backend (XNNPACK), all in this
 * process. Steps are timed in interleaved rounds (median); epochs run once per round, engines
 * in turn, and the figure is the median over rounds. Ratios compare engines of the same run.
 */
import * as tf from '@tensorflow/tfjs';
import { Adam, DataLoader, crossEntropy, nn, tensor } from '../lib';
import { loadMnist, type MnistSplit } from '../examples/support/mnist';
import { collectGarbage, formatMs, median, printTable } from './harness';

type Model = 'cnn' | 'mlp';
const BATCH = 64;

/** One engine: `step(x, labels)` trains on one batch (x is NCHW for the CNN, [n, 784] for the MLP). */
interface Engine {
  name: string;
  /** Makes this engine's backend current (TensorFlow.js has one global backend). */
  activate(): Promise<void>;
  step(x: Float32Array, labels: Int32Array): number;
}

function stopgradEngine(model: Model): Engine {
  nn.manualSeed(0);
  const net =
    model === 'cnn'
      ? new nn.Sequential(
          new nn.Conv2d(1, 16, 3),
          new nn.ReLU(),
          new nn.MaxPool2d(2),
          new nn.Conv2d(16, 32, 3),
          new nn.ReLU(),
          new nn.MaxPool2d(2),
          new nn.Flatten(),
          new nn.Linear(32 * 5 * 5, 10),
        )
      : new nn.Sequential(new nn.Linear(784, 128), new nn.ReLU(), new nn.Linear(128, 10));
  const opt = new Adam(net.parameters(), { lr: 1e-3 });
  const shape = model === 'cnn' ? [1, 28, 28] : [784];
  return {
    name: 'stopgrad',
    activate: () => Promise.resolve(),
    step(x, labels) {
      const input = tensor(x, { shape: [labels.length, ...shape] });
      const loss = crossEntropy(net.forward(input), labels);
      opt.zeroGrad();
      loss.backward();
      opt.step();
      return loss.item();
    },
  };
}

function tfjsEngine(model: Model, backend: 'cpu' | 'wasm'): Engine {
  const layers =
    model === 'cnn'
      ? [
          tf.layers.conv2d({
            inputShape: [28, 28, 1],
            filters: 16,
            kernelSize: 3,
            activation: 'relu',
            dataFormat: 'channelsLast',
          }),
          tf.layers.maxPooling2d({ poolSize: 2 }),
          tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }),
          tf.layers.maxPooling2d({ poolSize: 2 }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 10 }),
        ]
      : [tf.layers.dense({ inputShape: [784], units: 128, activation: 'relu' }), tf.layers.dense({ units: 10 })];
  let net: tf.Sequential | null = null;
  let opt: tf.Optimizer | null = null;
  return {
    name: `TensorFlow.js (${backend} backend)`,
    async activate() {
      if (tf.getBackend() !== backend) await tf.setBackend(backend);
      await tf.ready();
      // Variables live in one backend: build the model the first time it runs on its own.
      if (net === null) {
        net = tf.sequential({ layers });
        opt = tf.train.adam(1e-3);
      }
    },
    step(x, labels) {
      return tf.tidy(() => {
        const n = labels.length;
        // The same pixels; channelsLast with one channel has the same memory layout as NCHW.
        const input = model === 'cnn' ? tf.tensor4d(x, [n, 28, 28, 1]) : tf.tensor2d(x, [n, 784]);
        const onehot = tf.oneHot(tf.tensor1d(labels, 'int32'), 10);
        const cost = opt!.minimize(
          () => tf.losses.softmaxCrossEntropy<tf.Tensor, tf.Scalar>(onehot, net!.apply(input) as tf.Tensor),
          true,
        );
        return cost!.dataSync()[0];
      });
    },
  };
}

/** The batches of one epoch, in one seeded shuffled order shared by every engine. */
function epochBatches(train: MnistSplit): { x: Float32Array; y: Int32Array }[] {
  const loader = new DataLoader(train, { batchSize: BATCH, shuffle: true, dropLast: true });
  return [...loader].map(({ x, y }) => ({ x: Float32Array.from(x.data), y })); // copies: on wasm, .data is a view valid until the next op
}

async function wasmLoads(): Promise<boolean> {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the backend registers itself on load
    require('@tensorflow/tfjs-backend-wasm');
    await tf.setBackend('wasm');
    return true;
  } catch {
    return false;
  }
}

/** Times one step (median of interleaved rounds) and one epoch (median over rounds) per engine. */
async function modelTable(model: Model, train: MnistSplit, rounds: number, steps: number, epochs: boolean) {
  const withWasm = await wasmLoads();
  const engines = [stopgradEngine(model), tfjsEngine(model, 'cpu'), ...(withWasm ? [tfjsEngine(model, 'wasm')] : [])];
  const batches = epochBatches(train);
  // An engine that cannot train this model at all (tfjs-wasm has no kernel for a convolution's
  // filter gradient) is left out with its reason rather than stopping the benchmark.
  const skipped: string[] = [];
  for (const engine of [...engines]) {
    await engine.activate();
    try {
      engine.step(batches[0].x, batches[0].y);
    } catch (error) {
      skipped.push(`${engine.name} cannot train it: ${(error as Error).message}`);
      engines.splice(engines.indexOf(engine), 1);
    }
  }
  const stepTimes = engines.map(() => [] as number[]);
  const epochTimes = engines.map(() => [] as number[]);
  for (let round = 0; round < rounds; round++) {
    for (const [e, engine] of engines.entries()) {
      await engine.activate();
      collectGarbage();
      for (let s = 0; s < steps; s++) {
        const { x, y } = batches[s % batches.length];
        const start = performance.now();
        engine.step(x, y);
        stepTimes[e].push(performance.now() - start);
      }
      if (epochs) {
        const start = performance.now();
        for (const { x, y } of batches) engine.step(x, y);
        epochTimes[e].push((performance.now() - start) / 1000);
      }
    }
  }
  const ref = median(stepTimes[1]);
  const refEpoch = epochs ? median(epochTimes[1]) : 1;
  printTable(
    ['engine', 'step ms', 'x tfjs-cpu', ...(epochs ? ['epoch s', 'x tfjs-cpu'] : [])],
    engines.map((engine, e) => {
      const step = median(stepTimes[e]);
      const row: (string | number)[] = [engine.name, formatMs(step), (step / ref).toFixed(2)];
      if (epochs) row.push(median(epochTimes[e]).toFixed(2), (median(epochTimes[e]) / refEpoch).toFixed(2));
      return row;
    }),
  );
  if (!withWasm) console.log('(TensorFlow.js wasm backend did not load: its row is missing)');
  for (const reason of skipped) console.log(`(${reason})`);
}

/** `rounds` overrides the number of interleaved rounds (default 3; 1 with `quick`, which also skips the epochs). */
export async function mnistBenchmark(quick: boolean, rounds = quick ? 1 : 3): Promise<void> {
  const { train } = loadMnist({ train: 8000, sampleShape: [1, 28, 28] });
  const flat = { ...train, sampleShape: [784] };
  console.log(
    `\n## MNIST (real digits, ${train.count} training): CNN step and epoch, batch ${BATCH}, Adam (lower is better)`,
  );
  await modelTable('cnn', train, rounds, quick ? 3 : 10, !quick);
  console.log(`\n## MNIST: MLP 784-128-10 step and epoch, batch ${BATCH}, Adam (lower is better)`);
  await modelTable('mlp', flat, rounds, quick ? 3 : 20, !quick);
  if (tf.getBackend() !== 'cpu') await tf.setBackend('cpu');
}
