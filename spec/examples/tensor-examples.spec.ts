/** The tensor examples in their fast modes, each asserting its claim (the full runs are `npm run example -- NAME`). */
import { runGan } from '../../examples/gan';
import { gradientPenaltyHolds, runGradientPenalty } from '../../examples/gradient-penalty';
import { runMnistMlp } from '../../examples/mnist-mlp';

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
