/**
 * Feature extraction, the classic stop-gradient recipe, on real digits: train the small CNN
 * (examples/mnist-cnn.ts) on digits 0–4, freeze its body, and train a new head
 * (linear-relu-linear) on digits 5–9. The claims: the new task reaches at least 97% test
 * accuracy; every frozen weight is bit for bit unchanged and its `.grad` is never touched (the
 * same tensor, the same bits: no gradient reaches it, and nothing resets it). Then the
 * whole model is fine-tuned with parameter groups: a small rate (1e-4) for the body, 1e-3 for
 * the head.
 *
 *   npm run example -- feature-extraction
 */
import { Adam, type Tensor, nn } from '../lib';
import { cnnBody, evaluate, train } from './mnist-cnn';
import { type MnistSplit, loadMnist, selectClasses } from './support/mnist';
import type { ProgressSink } from './support/progress';

export interface FeatureExtractionResult {
  /** Test accuracy on digits 0–4 after pre-training. */
  pretrainAccuracy: number;
  /** Test accuracy of the new head on digits 5–9, body frozen. */
  headAccuracy: number;
  /** Whether every frozen body weight kept its bits, and its .grad stayed the same tensor with the same bits. */
  bodyUntouched: boolean;
  /** Test accuracy on digits 5–9 after fine-tuning everything with parameter groups. */
  fineTunedAccuracy: number;
  /** Whether fine-tuning changed the body (it is unfrozen then). */
  bodyMovedInFineTuning: boolean;
  seconds: number;
}

export interface FeatureExtractionOptions {
  /** Training digits per class (default 800, all of the split). */
  perClass?: number;
  /** Test digits per class (default 200, all of the split). */
  testPerClass?: number;
  /** Epochs of pre-training and of the new head (default 10 and 6; fine-tuning takes 1). */
  epochs?: number;
  sink?: ProgressSink | null;
}

/** Every element's bits of every tensor, to compare exactly (NaN and -0 included). */
function bits(tensors: readonly Tensor[]): string {
  return tensors.map((t) => Array.from(new Uint32Array(Float32Array.from(t.data).buffer)).join(',')).join(';');
}

export function runFeatureExtraction(
  log: (line: string) => void = console.log,
  options: FeatureExtractionOptions = {},
): FeatureExtractionResult {
  const [pretrainEpochs, epochs] = [options.epochs ?? 10, options.epochs ?? 6];
  const { train: all, test: allTest } = loadMnist({
    train: 10 * (options.perClass ?? 800),
    test: 10 * (options.testPerClass ?? 200),
    sampleShape: [1, 28, 28],
  });
  const lower: [MnistSplit, MnistSplit] = [
    selectClasses(all, [0, 1, 2, 3, 4]),
    selectClasses(allTest, [0, 1, 2, 3, 4]),
  ];
  const upper: [MnistSplit, MnistSplit] = [
    selectClasses(all, [5, 6, 7, 8, 9]),
    selectClasses(allTest, [5, 6, 7, 8, 9]),
  ];
  const start = performance.now();

  // 1. Pre-train body and a first head on digits 0–4.
  const body = cnnBody(0);
  const pretrained = new nn.Sequential(body, new nn.Linear(800, 5, { seed: 2 }));
  train(pretrained, lower[0], { epochs: pretrainEpochs, label: 'pre-train 0-4', sink: options.sink });
  const pretrainAccuracy = evaluate(pretrained, lower[1]);
  log(`feature-extraction: body pre-trained on digits 0-4, test accuracy ${(100 * pretrainAccuracy).toFixed(2)}%`);

  // 2. Freeze the body; a new head learns digits 5–9 (the optimiser, and so its zeroGrad, sees only the head).
  body.freeze();
  const frozenBits = bits(body.parameters());
  const staleGrads = body.parameters().map((p) => p.grad);
  const staleBits = bits(staleGrads.filter((g): g is Tensor => g !== null));
  const head = new nn.Sequential(new nn.Linear(800, 64, { seed: 3 }), new nn.ReLU(), new nn.Linear(64, 5, { seed: 4 }));
  const model = new nn.Sequential({ body, head });
  train(model, upper[0], {
    epochs,
    label: 'new head 5-9',
    sink: options.sink,
    optimizer: new Adam(head.parameters(), { lr: 1e-3 }),
  });
  const headAccuracy = evaluate(model, upper[1]);
  const bodyUntouched =
    bits(body.parameters()) === frozenBits &&
    body.parameters().every((p, i) => p.grad === staleGrads[i]) &&
    bits(staleGrads.filter((g): g is Tensor => g !== null)) === staleBits;
  log(
    `feature-extraction: new head on digits 5-9 with the body frozen, test accuracy ${(100 * headAccuracy).toFixed(2)}%; ` +
      `frozen weights and their .grad ${bodyUntouched ? 'bit for bit unchanged' : 'CHANGED'}`,
  );

  // 3. Fine-tune everything: parameter groups give the body a small rate and the head a larger one.
  body.unfreeze();
  const fineTune = new Adam([
    { params: body.parameters(), lr: 1e-4 },
    { params: head.parameters(), lr: 1e-3 },
  ]);
  train(model, upper[0], { epochs: 1, label: 'fine-tune', sink: options.sink, optimizer: fineTune, seed: 2 });
  const fineTunedAccuracy = evaluate(model, upper[1]);
  const bodyMovedInFineTuning = bits(body.parameters()) !== frozenBits;
  const seconds = (performance.now() - start) / 1000;
  log(
    `feature-extraction: fine-tuned with parameter groups (body lr 1e-4, head lr 1e-3), test accuracy ` +
      `${(100 * fineTunedAccuracy).toFixed(2)}% on digits 5-9; ${seconds.toFixed(1)} s in all ` +
      '(PyTorch 1.13 reaches 98.1% with the frozen body)',
  );
  return { pretrainAccuracy, headAccuracy, bodyUntouched, fineTunedAccuracy, bodyMovedInFineTuning, seconds };
}

/** The example's claims: at least 97% on the new task, the frozen body untouched, fine-tuning moving it. */
export function featureExtractionHolds(r: FeatureExtractionResult, minimum = 0.97): boolean {
  return r.headAccuracy >= minimum && r.bodyUntouched && r.bodyMovedInFineTuning;
}

if (require.main === module) {
  const r = runFeatureExtraction();
  const ok = featureExtractionHolds(r);
  console.log(ok ? 'OK: at least 97% on digits 5-9 with the body bit for bit frozen.' : 'FAILED: see above.');
  if (!ok) process.exit(1);
}
