/**
 * The MLP 784-128-10 step (batch 64, ReLU, softmax cross-entropy, SGD lr 0.1) in each engine's
 * own API, all from the same data (benchmarks/wasm-mlp-step.ts `mlpData`), each returning the
 * loss before its update so the engines can be checked against each other.
 */
import { SGD, type Tensor, conv2d, crossEntropy, maxPool2d, setBackend, tensor } from '../../lib';
import type { WasmBackend } from '../../lib/backends/wasm/wasm-backend';
import { threadedBackend } from '../../lib/node/wasm-threads';
import { useThreadedWasm } from '../../lib/tensor/backend-choice';
import { mlpData, tfjsMlp as tfjsMlpStep } from '../wasm-mlp-step';
import { seededFloats } from '../harness';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

const [B, I, H, O, LR] = [64, 784, 128, 10, 0.1];

/** stopgrad's engine on the deterministic wasm build, the FMA build (either on one thread or two), or the JS backend. */
export type StopgradKind = 'wasm' | 'wasm-fma' | 'wasm-2t' | 'wasm-fma-2t' | 'js';

const NAMES: Record<StopgradKind, string> = {
  wasm: 'stopgrad wasm',
  'wasm-fma': 'stopgrad wasm FMA',
  'wasm-2t': 'stopgrad wasm, 2 threads',
  'wasm-fma-2t': 'stopgrad wasm FMA, 2 threads',
  js: 'stopgrad js',
};

/** The two-thread backends (as useWasmThreads(2) makes them), one per build, kept for the whole run. */
const threaded = new Map<boolean, WasmBackend>();

/** Makes `kind` the engine's backend. */
function useBackend(kind: StopgradKind): void {
  if (kind === 'js') return setBackend('js');
  const fma = kind === 'wasm-fma' || kind === 'wasm-fma-2t';
  if (kind === 'wasm' || kind === 'wasm-fma') return setBackend('wasm', { fma });
  let backend = threaded.get(fma);
  if (backend === undefined) threaded.set(fma, (backend = threadedBackend(2, fma, 4e6).backend));
  useThreadedWasm(backend);
}

/** One MLP engine: `enter` switches the global backend it needs, `step` runs one training step. */
export interface MlpEngine {
  name: string;
  enter(): void | Promise<void>;
  step(): number;
}

/** stopgrad's tensor engine, as a user writes the step, on the given backend. */
export function stopgradMlp(backend: StopgradKind): MlpEngine {
  useBackend(backend);
  const d = mlpData();
  const x = tensor(d.x, { shape: [B, I] });
  const params = [
    tensor(d.w1, { shape: [I, H], requiresGrad: true }),
    tensor(d.b1, { requiresGrad: true }),
    tensor(d.w2, { shape: [H, O], requiresGrad: true }),
    tensor(d.b2, { requiresGrad: true }),
  ];
  const [w1, b1, w2, b2] = params;
  return sgdEngine(backend, params, () => crossEntropy(x.matmul(w1).add(b1).relu().matmul(w2).add(b2), d.labels));
}

/** A stopgrad engine whose step trains `params` with SGD on the loss `loss()` builds, as a user writes it. */
function sgdEngine(kind: StopgradKind, params: Tensor[], loss: () => Tensor): MlpEngine {
  const opt = new SGD(params, { lr: LR });
  return {
    name: NAMES[kind],
    enter: () => useBackend(kind),
    step() {
      const value = loss();
      opt.zeroGrad();
      value.backward();
      opt.step();
      return value.item();
    },
  };
}

/** TensorFlow.js (`optimizer.minimize`, the same step as the kernel section's) on its wasm or cpu backend. */
export async function tfjsMlp(tf: Any, backend: 'wasm' | 'cpu'): Promise<MlpEngine> {
  await tf.setBackend(backend);
  return { name: `tfjs-${backend}`, enter: () => tf.setBackend(backend), step: tfjsMlpStep(tf) };
}

/** jax-js on wasm: `valueAndGrad` of the loss, eager or under `jit`, SGD on the parameter tree. */
export async function jaxMlp(jitted: boolean): Promise<MlpEngine> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a peer, loaded lazily
  const jax: Any = require('@jax-js/jax');
  await jax.init('wasm');
  jax.defaultDevice('wasm');
  const np = jax.numpy;
  const d = mlpData();
  const x = np.array(d.x).reshape([B, I]);
  const onehot = jax.nn.oneHot(np.array(Int32Array.from(d.labels)), O).astype(np.float32);
  let params: Any = {
    w1: np.array(d.w1).reshape([I, H]),
    b1: np.array(d.b1),
    w2: np.array(d.w2).reshape([H, O]),
    b2: np.array(d.b2),
  };
  const lossFn = (p: Any, xs: Any, t: Any): Any => {
    const h = jax.nn.relu(np.matmul(xs, p.w1).add(p.b1));
    const z = np.matmul(h, p.w2).add(p.b2);
    return jax.nn
      .logSoftmax(z)
      .mul(t)
      .sum()
      .mul(-1 / B);
  };
  const update = (p: Any, xs: Any, t: Any): Any => {
    const [loss, g] = jax.valueAndGrad(lossFn)(jax.tree.ref(p), xs, t);
    const next = jax.tree.map((w: Any, gw: Any) => w.sub(gw.mul(LR)), p, g);
    return [loss, next];
  };
  const run = jitted ? jax.jit(update) : update;
  return {
    name: jitted ? 'jax-js jit' : 'jax-js eager',
    enter: () => jax.defaultDevice('wasm'),
    step() {
      const [loss, next] = run(params, x.ref, onehot.ref);
      params = next;
      return loss.dataSync()[0] as number;
    },
  };
}

const [CB, CH, K, P] = [32, 16, 28, 14]; // batch, channels, image side, pooled side

/** The CNN's data and weights in stopgrad's layout (NCHW, OIHW, [C*P*P, 10]). */
function cnnData() {
  return {
    x: seededFloats(CB * K * K, 11, 1),
    labels: Array.from({ length: CB }, (_, i) => (i * 3) % 10),
    w: seededFloats(CH * 9, 12, 1 / 3),
    b: new Float32Array(CH),
    wl: seededFloats(CH * P * P * 10, 13, Math.sqrt(6 / (CH * P * P + 10))),
    bl: new Float32Array(10),
  };
}

/** conv 3x3 (16 channels, padding 1), ReLU, 2x2 max pool, linear to 10, cross-entropy, SGD: stopgrad. */
export function stopgradCnn(backend: StopgradKind): MlpEngine {
  useBackend(backend);
  const d = cnnData();
  const x = tensor(d.x, { shape: [CB, 1, K, K] });
  const params = [
    tensor(d.w, { shape: [CH, 1, 3, 3], requiresGrad: true }),
    tensor(d.b, { requiresGrad: true }),
    tensor(d.wl, { shape: [CH * P * P, 10], requiresGrad: true }),
    tensor(d.bl, { requiresGrad: true }),
  ];
  const [w, b, wl, bl] = params;
  return sgdEngine(backend, params, () => {
    const pooled = maxPool2d(conv2d(x, w, b, { padding: 1 }).relu(), 2);
    return crossEntropy(
      pooled
        .reshape([CB, CH * P * P])
        .matmul(wl)
        .add(bl),
      d.labels,
    );
  });
}

/** The same CNN in TensorFlow.js (NHWC; weights permuted so the losses match stopgrad's). */
export async function tfjsCnn(tf: Any, backend: 'wasm' | 'cpu'): Promise<MlpEngine> {
  await tf.setBackend(backend);
  const d = cnnData();
  const filter = new Float32Array(9 * CH); // [3, 3, 1, 16] from [16, 1, 3, 3]
  for (let o = 0; o < CH; o++) for (let k = 0; k < 9; k++) filter[k * CH + o] = d.w[o * 9 + k];
  const dense = new Float32Array(d.wl.length); // rows in (h, w, c) order from (c, h, w)
  for (let c = 0; c < CH; c++)
    for (let s = 0; s < P * P; s++)
      for (let o = 0; o < 10; o++) dense[(s * CH + c) * 10 + o] = d.wl[(c * P * P + s) * 10 + o];
  const x = tf.tensor4d(d.x, [CB, K, K, 1]);
  const onehot = tf.oneHot(tf.tensor1d(d.labels, 'int32'), 10).toFloat();
  const w = tf.variable(tf.tensor4d(filter, [3, 3, 1, CH])),
    b = tf.variable(tf.tensor1d(d.b));
  const wl = tf.variable(tf.tensor2d(dense, [CH * P * P, 10])),
    bl = tf.variable(tf.tensor1d(d.bl));
  const opt = tf.train.sgd(LR);
  return {
    name: `tfjs-${backend}`,
    enter: () => tf.setBackend(backend),
    step() {
      const cost = opt.minimize(() => {
        const h = tf.maxPool(tf.relu(tf.add(tf.conv2d(x, w, 1, 'same'), b)), 2, 2, 'valid');
        return tf.losses.softmaxCrossEntropy(onehot, tf.add(tf.matMul(tf.reshape(h, [CB, CH * P * P]), wl), bl));
      }, true);
      const loss = cost.dataSync()[0];
      cost.dispose();
      return loss;
    },
  };
}
