/**
 * A small CNN on real handwritten digits (8,000 training, 1,756 test, from the `mnist`
 * package), built from the `nn` layers: conv 3×3 (16) - relu - max pool - conv 3×3 (32) - relu -
 * max pool - linear (800 -> 10), Adam (lr 1e-3), batch 64, 6 epochs, as PyTorch does it. The
 * claim: test accuracy at least 95.4% (PyTorch 1.13 reaches 96.4% with the same model, data
 * and optimiser). Prints the training time beside PyTorch's.
 *
 * `--wide` trains the issue's wider CNN instead: conv 3×3 (32) - relu - pool - conv 3×3 (64) -
 * relu - pool - dropout 0.25 - linear 1600 -> 128 - relu - dropout 0.5 - linear 128 -> 10, AdamW
 * (lr 1e-3, weight decay 0.01) with a cosine schedule over 15 epochs; the claim is at least
 * 96.7% (PyTorch 1.13's 97.7% minus one point).
 *
 *   npm run example -- mnist-cnn [--wide]
 */
import {
  Adam,
  AdamW,
  CosineAnnealingLR,
  DataLoader,
  type Tensor,
  crossEntropy,
  nn,
  noGrad,
  seededRng,
  tensor,
} from '../lib';
import { accuracy } from './support/accuracy';
import { type MnistSplit, loadMnist } from './support/mnist';
import { Progress, type ProgressSink } from './support/progress';

/** PyTorch 1.13 on the same split and model (one thread): accuracy, and seconds for the 6 epochs. */
export const PYTORCH_CNN = { accuracy: 0.964, seconds: 9 };
/** The figure for the wider CNN (PyTorch 1.13, same split, 15 epochs). */
export const PYTORCH_WIDE_CNN = { accuracy: 0.977 };

/**
 * The small CNN's feature extractor: two conv-relu-pool stages, flattened to 800 features
 * (28 -> 26 -> 13 -> 11 -> 5; 32 · 5 · 5).
 */
export function cnnBody(seed: number): nn.Sequential {
  return new nn.Sequential(
    new nn.Conv2d(1, 16, 3, { seed }),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Conv2d(16, 32, 3, { seed: seed + 1 }),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Flatten(),
  );
}

/** Test accuracy of `model` on `split`, in eval mode and without recording, in chunks of 500. */
export function evaluate(model: nn.Module, split: MnistSplit): number {
  model.eval();
  let correct = 0;
  noGrad(() => {
    for (let start = 0; start < split.count; start += 500) {
      const n = Math.min(500, split.count - start);
      const x = tensor(split.x.subarray(start * 784, (start + n) * 784), { shape: [n, 1, 28, 28] });
      correct += accuracy(model.forward(x), split.y.subarray(start, start + n)) * n;
    }
  });
  model.train();
  return correct / split.count;
}

/** Trains `model` on `split` with Adam over `parameters` (default all of the model's); returns seconds. */
export function train(
  model: nn.Module,
  split: MnistSplit,
  options: {
    epochs: number;
    label: string;
    sink?: ProgressSink | null;
    optimizer?: Adam;
    seed?: number;
    /** Called after each epoch (a learning-rate schedule's step). */
    afterEpoch?: () => void;
  },
): number {
  const opt = options.optimizer ?? new Adam(model.parameters(), { lr: 1e-3 });
  const loader = new DataLoader(split, { batchSize: 64, shuffle: true, rng: seededRng(options.seed ?? 1) });
  const start = performance.now();
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    const progress = new Progress(`${options.label} epoch ${epoch}/${options.epochs}`, loader.length, {
      sink: options.sink,
    });
    let [seen, correct, step] = [0, 0, 0];
    for (const { x, y } of loader) {
      const logits: Tensor = model.forward(x);
      const loss = crossEntropy(logits, y);
      opt.zeroGrad();
      loss.backward();
      opt.step();
      correct += accuracy(logits, y) * y.length;
      seen += y.length;
      progress.update(++step, { loss: loss.item(), accuracy: correct / seen });
    }
    progress.done();
    options.afterEpoch?.();
  }
  return (performance.now() - start) / 1000;
}

export interface MnistCnnResult {
  testAccuracy: number;
  seconds: number;
  epochs: number;
}

export interface MnistCnnOptions {
  epochs?: number;
  /** Use only this many training digits (the fast mode of the spec). */
  trainCount?: number;
  /** Use only this many test digits (default 2,000, which the split holds 1,756 of). */
  testCount?: number;
  sink?: ProgressSink | null;
  /** The wider CNN with dropout, AdamW and a cosine schedule (default epochs 15). */
  wide?: boolean;
}

/** The wider CNN of `--wide`. */
export function wideCnn(seed: number): nn.Sequential {
  return new nn.Sequential(
    new nn.Conv2d(1, 32, 3, { seed }),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Conv2d(32, 64, 3, { seed: seed + 1 }),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Flatten(),
    new nn.Dropout(0.25, { seed: seed + 2 }),
    new nn.Linear(1600, 128, { seed: seed + 3 }),
    new nn.ReLU(),
    new nn.Dropout(0.5, { seed: seed + 4 }),
    new nn.Linear(128, 10, { seed: seed + 5 }),
  );
}

export function runMnistCnn(log: (line: string) => void = console.log, options: MnistCnnOptions = {}): MnistCnnResult {
  const wide = options.wide ?? false;
  const epochs = options.epochs ?? (wide ? 15 : 6);
  const { train: trainSplit, test } = loadMnist({
    train: options.trainCount ?? 8000,
    test: options.testCount ?? 2000,
    sampleShape: [1, 28, 28],
  });
  const model = wide ? wideCnn(0) : new nn.Sequential(cnnBody(0), new nn.Linear(800, 10, { seed: 2 }));
  const optimizer = wide ? new AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.01 }) : undefined;
  const schedule = optimizer && new CosineAnnealingLR(optimizer, { tMax: epochs });
  const label = wide ? 'mnist-cnn --wide' : 'mnist-cnn';
  const seconds = train(model, trainSplit, {
    epochs,
    label,
    sink: options.sink,
    optimizer,
    afterEpoch: () => schedule?.step(),
  });
  const testAccuracy = evaluate(model, test);
  const reference = wide
    ? `${(100 * PYTORCH_WIDE_CNN.accuracy).toFixed(1)}%`
    : `${(100 * PYTORCH_CNN.accuracy).toFixed(1)}% in about ${PYTORCH_CNN.seconds} s`;
  log(
    `${label}: test accuracy ${(100 * testAccuracy).toFixed(2)}% after ${epochs} epochs in ${seconds.toFixed(1)} s ` +
      `(PyTorch 1.13, one thread: ${reference})`,
  );
  return { testAccuracy, seconds, epochs };
}

if (require.main === module) {
  const wide = process.argv.includes('--wide');
  const r = runMnistCnn(console.log, { wide });
  const target = wide ? 96.7 : 95.4;
  const ok = 100 * r.testAccuracy >= target;
  console.log(ok ? `OK: at least ${target}% (PyTorch minus one point).` : `FAILED: below ${target}%.`);
  if (!ok) process.exit(1);
}
