/** The tensor benchmark's correctness checks (never its timings): the hand-derived MLP gradients and the peers compute the same thing. */
import { handMlp } from '../../benchmarks/tensor/hand-mlp';
import {
  checkProducts,
  jsPytorchMatmul,
  kernelMatmul,
  squareInputs,
  tiledLoopMatmul,
} from '../../benchmarks/tensor/matmul-peers';
import { tensorMlpTask } from '../../benchmarks/tensor/mlp-task';
import { jsPytorchMlp } from '../../benchmarks/tensor/peer-mlps';
import { tensorMlpLosses } from '../../benchmarks/tensor/peers';

test('hand-written MLP: the hand-derived gradients match central differences (float64)', () => {
  const task = tensorMlpTask();
  const mlp = handMlp(task, 'float64');
  const before = mlp.loss();
  // step() computes the gradients at the current weights and then updates them: snapshot first.
  const saved = Object.fromEntries(Object.entries(mlp.params).map(([k, v]) => [k, v.slice()]));
  mlp.step();
  Object.entries(saved).forEach(([k, v]) => mlp.params[k as keyof typeof mlp.params].set(v));
  expect(mlp.loss()).toBe(before);
  const eps = 1e-6;
  let checked = 0;
  for (const name of ['w1', 'b1', 'w2', 'b2'] as const) {
    const p = mlp.params[name];
    for (const i of [0, 1, Math.floor(p.length / 2), p.length - 1]) {
      const original = p[i];
      p[i] = original + eps;
      const up = mlp.loss();
      p[i] = original - eps;
      const down = mlp.loss();
      p[i] = original;
      const numeric = (up - down) / (2 * eps);
      expect(Math.abs(mlp.grads[name][i] - numeric)).toBeLessThan(1e-7 * Math.max(1, Math.abs(numeric)));
      checked += mlp.grads[name][i] !== 0 ? 1 : 0;
    }
  }
  expect(checked).toBeGreaterThan(8); // not vacuous: most checked gradients are non-zero
});

test('MLP losses: the float32 hand loop and js-pytorch agree with the float64 hand loop to 1e-6', async () => {
  const [reference, float32, jsPytorch] = await tensorMlpLosses(2, [
    (task) => handMlp(task, 'float64'),
    (task) => handMlp(task, 'float32'),
    jsPytorchMlp,
  ]);
  expect(reference[0]).toBeCloseTo(2.338954901995855, 12);
  expect(reference[1]).toBeLessThan(reference[0]);
  for (const row of [float32, jsPytorch]) {
    row.forEach((loss, s) => expect(Math.abs(loss - reference[s])).toBeLessThan(1e-6 * reference[s]));
  }
});

test('matmul peers: the kernel, the tiled loop and js-pytorch give the same product', () => {
  const n = 33;
  const { a, b } = squareInputs(n);
  const errors = checkProducts([kernelMatmul(a, b, n), tiledLoopMatmul(a, b, n), jsPytorchMatmul(a, b, n)]);
  expect(errors[0]).toBe(0);
  for (const error of errors) expect(error).toBeLessThan(1e-6);
});
