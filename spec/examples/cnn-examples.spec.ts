/** The CNN examples in their fast modes, each asserting its claim (the full runs are `npm run example -- NAME`). */
import { featureExtractionHolds, runFeatureExtraction } from '../../examples/feature-extraction';
import { runMnistCnn } from '../../examples/mnist-cnn';

const quiet = () => undefined;

test('mnist-cnn, fast: 1,000 real digits, 2 epochs, well above chance on 500 test digits', () => {
  const r = runMnistCnn(quiet, { epochs: 2, trainCount: 1000, testCount: 500, sink: null });
  expect(r.testAccuracy).toBeGreaterThan(0.6);
}, 300_000);

test('mnist-cnn --wide, fast: the wider CNN with dropout, AdamW and a cosine schedule learns from 500 digits', () => {
  const r = runMnistCnn(quiet, { wide: true, epochs: 2, trainCount: 500, testCount: 300, sink: null });
  expect(r.epochs).toBe(2);
  expect(r.testAccuracy).toBeGreaterThan(0.5);
}, 300_000);

test('feature-extraction, fast: the frozen body keeps its bits and its .grad, the new head learns, fine-tuning moves the body', () => {
  const r = runFeatureExtraction(quiet, { perClass: 100, testPerClass: 40, epochs: 1, sink: null });
  expect(r.bodyUntouched).toBe(true);
  expect(r.bodyMovedInFineTuning).toBe(true);
  expect(r.headAccuracy).toBeGreaterThan(0.4);
  expect(featureExtractionHolds(r, 0.4)).toBe(true);
}, 300_000);
