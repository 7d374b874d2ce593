/**
 * WGAN-GP's gradient penalty: the classic real use of higher-order gradients. The critic's
 * loss contains the gradient of the critic with respect to its input, computed with
 * `grad(..., { createGraph: true })`, so that `backward()` differentiates through that gradient:
 *
 *   loss = mean D(fake) - mean D(real) + lambda * mean_i (||dD/dx (x_i)|| - 1)^2,
 *   x_i = e_i * real_i + (1 - e_i) * fake_i, e_i ~ U(0, 1)
 *
 * The claims: (1) the gradient of that loss with respect to a critic weight (a second
 * derivative of D) matches central finite differences in float64; (2) training the critic
 * with the penalty drives the gradient norm at the interpolates toward 1, while the same
 * critic trained without it moves its norm well away from 1.
 *
 *   npm run example -- gradient-penalty
 */
import { Adam, type Rng, type Tensor, grad, nn, randn, rand, seededRng, tensor, gaussian } from '../lib';
import { Progress, type ProgressSink } from './support/progress';

const LAMBDA = 10;

/** PyTorch 1.13 (one thread, this machine): seconds for the penalised critic's 300 steps. */
export const PYTORCH_GP_SECONDS = 7.6;

/** The critic 2 -> 32 -> 32 -> 1 with tanh (smooth, so finite differences are clean). */
function makeCritic(options: { rng?: Rng; dtype?: 'float32' | 'float64' }): nn.Sequential {
  return new nn.Sequential(
    new nn.Linear(2, 32, options),
    new nn.Tanh(),
    new nn.Linear(32, 32, options),
    new nn.Tanh(),
    new nn.Linear(32, 1, options),
  );
}

/** The per-row norm of dD/dx at `x` (a graph, so it can be differentiated again). */
function inputGradNorm(critic: nn.Sequential, x: Tensor): Tensor {
  const xs = x.detach().requiresGrad_();
  const [g] = grad(critic.forward(xs).sum(), [xs], { createGraph: true });
  return g.mul(g).sum(1).add(1e-12).sqrt();
}

/** WGAN-GP's critic loss, and the gradient norms at the interpolates. */
function criticLoss(critic: nn.Sequential, real: Tensor, fake: Tensor, mix: Tensor, lambda: number) {
  const xhat = real.mul(mix).add(fake.mul(mix.neg().add(1)));
  const norms = inputGradNorm(critic, xhat);
  const wasserstein = critic.forward(fake).mean().sub(critic.forward(real).mean());
  const penalty = norms.sub(1).pow(2).mean();
  return { loss: lambda === 0 ? wasserstein : wasserstein.add(penalty.mul(lambda)), norms };
}

/** A batch of real points (a ring of eight Gaussians) and fake ones (a blob at the origin). */
function batchOf(n: number, rng: Rng): { real: Tensor; fake: Tensor; mix: Tensor } {
  const real = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * Math.floor(rng() * 8)) / 8;
    real[2 * i] = 2 * Math.cos(a) + 0.05 * gaussian(rng);
    real[2 * i + 1] = 2 * Math.sin(a) + 0.05 * gaussian(rng);
  }
  return {
    real: tensor(real, { shape: [n, 2] }),
    fake: randn([n, 2], { rng }).mul(0.5),
    mix: rand([n, 1], { rng }),
  };
}

/**
 * The gradient of the penalised loss w.r.t. `count` entries of the first weight matrix, by
 * autograd (through the createGraph gradient) and by central differences, in float64.
 */
function checkSecondOrder(critic: nn.Sequential, rng: Rng, count: number): { autograd: number[]; numeric: number[] } {
  const c64 = makeCritic({ dtype: 'float64' });
  const p64 = c64.parameters();
  critic.parameters().forEach((p, i) => p64[i].data.set(p.data));
  const { real, fake, mix } = batchOf(16, rng);
  const [r, f, m] = [real, fake, mix].map((t) => tensor(Float64Array.from(t.data), { shape: t.shape }));
  const { loss } = criticLoss(c64, r, f, m, LAMBDA);
  const [dw1] = grad(loss, [p64[0]]);
  const autograd: number[] = [];
  const numeric: number[] = [];
  const h = 1e-6;
  for (let k = 0; k < count; k++) {
    const i = (k * 7) % p64[0].size;
    const w = p64[0].data;
    const at = (delta: number) => {
      const saved = w[i];
      w[i] = saved + delta;
      const value = criticLoss(c64, r, f, m, LAMBDA).loss.item();
      w[i] = saved;
      return value;
    };
    numeric.push((at(h) - at(-h)) / (2 * h));
    autograd.push(dw1.data[i]);
  }
  return { autograd, numeric };
}

export interface GradientPenaltyResult {
  /** Largest |autograd - finite difference| / max(1, |finite difference|) over the checked entries. */
  secondOrderError: number;
  /** Mean gradient norm at the interpolates, before and after training with the penalty. */
  normBefore: number;
  normWithPenalty: number;
  /** The same after training without the penalty (lambda 0). */
  normWithoutPenalty: number;
  seconds: number;
}

function trainCritic(lambda: number, steps: number, sink: ProgressSink | null | undefined): number {
  const rng = seededRng(11);
  const critic = makeCritic({ rng });
  const opt = new Adam(critic.parameters(), { lr: 1e-3, betas: [0.5, 0.9] });
  const progress = new Progress(`critic, lambda ${lambda}`, steps, { sink, plainEvery: 100 });
  let norm = 0;
  for (let step = 1; step <= steps; step++) {
    const { real, fake, mix } = batchOf(64, rng);
    const { loss, norms } = criticLoss(critic, real, fake, mix, lambda);
    opt.zeroGrad();
    loss.backward();
    opt.step();
    norm = norms.detach().mean().item();
    progress.update(step, { loss: loss.item() });
  }
  progress.done(`critic, lambda ${lambda}: mean gradient norm at the interpolates ${norm.toFixed(3)}`);
  return norm;
}

export function runGradientPenalty(
  log: (line: string) => void = console.log,
  steps = 300,
  sink?: ProgressSink | null,
): GradientPenaltyResult {
  const start = performance.now();
  const rng = seededRng(11);
  const critic = makeCritic({ rng });
  const { autograd, numeric } = checkSecondOrder(critic, seededRng(3), 6);
  const secondOrderError = Math.max(
    ...autograd.map((a, i) => Math.abs(a - numeric[i]) / Math.max(1, Math.abs(numeric[i]))),
  );
  const { real, fake, mix } = batchOf(64, seededRng(12));
  const normBefore = criticLoss(critic, real, fake, mix, LAMBDA).norms.mean().item();
  const trainStart = performance.now();
  const normWithPenalty = trainCritic(LAMBDA, steps, sink);
  const trainSeconds = (performance.now() - trainStart) / 1000;
  const normWithoutPenalty = trainCritic(0, steps, sink);
  const seconds = (performance.now() - start) / 1000;
  log(
    `gradient-penalty: d(loss)/d(weight) through the createGraph gradient vs finite differences: largest error ${secondOrderError.toExponential(2)}; ` +
      `gradient norm at the interpolates ${normBefore.toFixed(3)} -> ${normWithPenalty.toFixed(3)} with the penalty ` +
      `(${normWithoutPenalty.toFixed(3)} without it); the penalised critic's ${steps} steps took ${trainSeconds.toFixed(1)} s ` +
      `(PyTorch 1.13, one thread, this machine: about ${PYTORCH_GP_SECONDS} s for 300); ${seconds.toFixed(1)} s in all`,
  );
  return { secondOrderError, normBefore, normWithPenalty, normWithoutPenalty, seconds };
}

/** The example's claims, shared by the command line and the spec. */
export function gradientPenaltyHolds(r: GradientPenaltyResult): boolean {
  return (
    r.secondOrderError < 1e-6 &&
    Math.abs(r.normWithPenalty - 1) < 0.5 * Math.abs(r.normBefore - 1) &&
    Math.abs(r.normWithPenalty - 1) < Math.abs(r.normWithoutPenalty - 1)
  );
}

if (require.main === module) {
  const r = runGradientPenalty();
  const ok = gradientPenaltyHolds(r);
  console.log(
    ok
      ? 'OK: the second-order gradient matches finite differences, and the penalty pulls the gradient norm toward 1.'
      : 'FAILED: see the numbers above.',
  );
  if (!ok) process.exit(1);
}
