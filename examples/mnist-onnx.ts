/**
 * A small CNN trained on real handwritten digits (from the `mnist` package), then moved out of
 * stopgrad: exported to ONNX and to safetensors. ONNX Runtime (onnxruntime-web, WebAssembly)
 * runs the ONNX model on the test digits, and a fresh model loads the safetensors file. The
 * claims: both give exactly stopgrad's test accuracy, ONNX Runtime's logits match stopgrad's
 * to float32 rounding, and the model is well above chance (at least 93%; 95.0% here after 3
 * epochs on 8,000 digits, a few minutes on one core).
 *
 *   npm run example -- mnist-onnx [output directory]
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Adam, DataLoader, crossEntropy, nn, noGrad, seededRng, tensor } from '../lib';
import type { Tensor } from '../lib';
import { exportOnnx, loadSafetensors, saveSafetensors } from '../lib/node';
import { accuracy } from './support/accuracy';
import { loadMnist } from './support/mnist';
import { runOnnx } from './support/onnx-runtime';
import { Progress, type ProgressSink } from './support/progress';

export interface MnistOnnxResult {
  /** Test accuracy in stopgrad, in ONNX Runtime, and of a model loaded from the safetensors file. */
  stopgrad: number;
  onnxRuntime: number;
  safetensors: number;
  /** The largest |logit difference| between ONNX Runtime and stopgrad, relative to max(1, |logit|). */
  maxLogitError: number;
  testCount: number;
  files: string[];
}

export interface MnistOnnxOptions {
  epochs?: number;
  /** Use only this many training digits (the fast mode of the spec). */
  trainCount?: number;
  /** Where the .onnx and .safetensors files go (default: a new temporary directory). */
  directory?: string;
  sink?: ProgressSink | null;
}

function cnn(seed: number): nn.Sequential {
  const rng = seededRng(seed);
  return new nn.Sequential(
    new nn.Conv2d(1, 8, 3, { padding: 1, rng }),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Conv2d(8, 16, 3, { padding: 1, rng }),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Flatten(),
    new nn.Linear(16 * 7 * 7, 10, { rng }),
  );
}

export async function runMnistOnnx(
  log: (line: string) => void = console.log,
  options: MnistOnnxOptions = {},
): Promise<MnistOnnxResult> {
  const epochs = options.epochs ?? 3;
  const { train, test } = loadMnist({ train: options.trainCount ?? 8000, sampleShape: [1, 28, 28] });
  const model = cnn(0);
  const opt = new Adam(model.parameters(), { lr: 2e-3 });
  const loader = new DataLoader(train, { batchSize: 64, shuffle: true, rng: seededRng(1) });
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const progress = new Progress(`epoch ${epoch}/${epochs}`, loader.length, { sink: options.sink });
    let step = 0;
    for (const { x, y } of loader) {
      const loss = crossEntropy(model.forward(x), y);
      opt.zeroGrad();
      loss.backward();
      opt.step();
      progress.update(++step, { loss: loss.item() });
    }
    progress.done();
  }
  model.eval();
  const images = tensor(test.x, { shape: [test.count, 1, 28, 28] });
  const logits: Tensor = noGrad(() => model.forward(images));
  const stopgrad = accuracy(logits, test.y);

  const directory = options.directory ?? fs.mkdtempSync(path.join(os.tmpdir(), 'stopgrad-mnist-'));
  const onnxFile = path.join(directory, 'mnist-cnn.onnx');
  const weightsFile = path.join(directory, 'mnist-cnn.safetensors');
  // Traced on one digit; the batch dimension is symbolic, so ONNX Runtime takes all test digits at once.
  await exportOnnx(model, images.narrow(0, 0, 1), onnxFile);
  await saveSafetensors(model, weightsFile);

  const [out] = await runOnnx(fs.readFileSync(onnxFile), [{ data: images.data, dims: images.shape }]);
  const ortLogits = tensor(out.data, { shape: [...out.dims] });
  const onnxRuntime = accuracy(ortLogits, test.y);
  let maxLogitError = 0;
  for (let i = 0; i < logits.size; i++)
    maxLogitError = Math.max(
      maxLogitError,
      Math.abs(out.data[i] - logits.data[i]) / Math.max(1, Math.abs(logits.data[i])),
    );

  const reloaded = cnn(99);
  await loadSafetensors(reloaded, weightsFile);
  reloaded.eval();
  const safetensors = noGrad(() => accuracy(reloaded.forward(images), test.y));

  const pct = (a: number) => `${(100 * a).toFixed(2)}%`;
  log(
    `mnist-onnx: test accuracy on ${test.count} digits: stopgrad ${pct(stopgrad)}, ONNX Runtime ${pct(onnxRuntime)}, ` +
      `reloaded from safetensors ${pct(safetensors)}; largest logit difference ${maxLogitError.toExponential(2)}`,
  );
  log(
    `  wrote ${onnxFile} (${fs.statSync(onnxFile).size} bytes) and ${weightsFile} (${fs.statSync(weightsFile).size} bytes)`,
  );
  return { stopgrad, onnxRuntime, safetensors, maxLogitError, testCount: test.count, files: [onnxFile, weightsFile] };
}

/** The example's claim. */
export function mnistOnnxHolds(r: MnistOnnxResult, minimum = 0.93): boolean {
  return (
    r.onnxRuntime === r.stopgrad && r.safetensors === r.stopgrad && r.maxLogitError < 1e-5 && r.stopgrad >= minimum
  );
}

if (require.main === module) {
  runMnistOnnx(console.log, { directory: process.argv[2] })
    .then((r) => {
      const ok = mnistOnnxHolds(r);
      console.log(
        ok
          ? 'OK: ONNX Runtime and the reloaded safetensors give exactly stopgrad’s accuracy (at least 93%).'
          : 'FAILED.',
      );
      if (!ok) process.exit(1);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
