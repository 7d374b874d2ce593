/** The tensor examples in their fast modes, each asserting its claim (the full runs are `npm run example -- NAME`). */
import { runGan } from '../../examples/gan';
import { gradientPenaltyHolds, runGradientPenalty } from '../../examples/gradient-penalty';
import { runMnistMlp } from '../../examples/mnist-mlp';
import { mnistOnnxHolds, runMnistOnnx } from '../../examples/mnist-onnx';
import * as fs from 'fs';

const quiet = () => undefined;

test('mnist-mlp, fast: 2,000 real digits, 2 epochs, well above chance on the 1,756 test digits', () => {
  const r = runMnistMlp(quiet, { epochs: 2, trainCount: 2000, sink: null });
  expect(r.testAccuracy).toBeGreaterThan(0.8);
}, 120_000);

test('gan, fast: D steps never touch G and G steps never touch D, bit for bit; samples move onto the ring', () => {
  const r = runGan(quiet, 150, null);
  expect(r.generatorUntouchedByD).toBe(true);
  expect(r.discriminatorUntouchedByG).toBe(true);
  expect(r.modeShares.reduce((a, b) => a + b)).toBeGreaterThan(r.startShare);
}, 120_000);

test('gradient-penalty, fast: the createGraph gradient matches finite differences; the penalty pulls the norm toward 1', () => {
  const r = runGradientPenalty(quiet, 60, null);
  expect(r.secondOrderError).toBeLessThan(1e-6);
  expect(gradientPenaltyHolds(r)).toBe(true);
}, 120_000);

test('mnist-onnx, fast: ONNX Runtime and the reloaded safetensors give exactly stopgrad’s accuracy on the test digits', async () => {
  const r = await runMnistOnnx(quiet, { epochs: 1, trainCount: 640, sink: null });
  expect(r.testCount).toBe(2000);
  expect(r.onnxRuntime).toBe(r.stopgrad);
  expect(r.safetensors).toBe(r.stopgrad);
  expect(r.maxLogitError).toBeLessThan(1e-5);
  expect(mnistOnnxHolds(r, 0.3)).toBe(true); // 38% after 10 steps: well above chance (10%)
  for (const file of r.files) fs.rmSync(file);
}, 180_000);
