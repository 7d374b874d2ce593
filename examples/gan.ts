/**
 * A GAN on tensors: a generator learns a 2-D mixture of eight Gaussians on a ring, against a
 * discriminator, with the two players kept apart by stop-gradient:
 * - discriminator steps score `G(z).detach()`, so no gradient reaches the generator (its
 *   grads stay null and its weights are bit-for-bit unchanged, checked every step);
 * - generator steps freeze D (`D.freeze()`), so the generator's
 *   loss never gives D a gradient and D's weights stay bit-for-bit unchanged.
 * The claim: both checks hold at every step, and the generated samples cover every mode.
 *
 *   npm run example -- gan
 *
 * (examples/gan-scalar.ts is the same discipline on scalar Values, on 1-D data.)
 */
import {
  Adam,
  type Tensor,
  binaryCrossEntropyWithLogits,
  full,
  noGrad,
  randn,
  seededRng,
  tensor,
  gaussian,
  nn,
} from '../lib';
import { Progress, type ProgressSink } from './support/progress';

/** PyTorch 1.13 (one thread, this machine) on the same models, batch and 1,500 steps: seconds. */
export const PYTORCH_GAN_SECONDS = 51;

const MODES = 8;
const RADIUS = 2;
const STD = 0.05;
const NOISE = 8;

export interface GanResult {
  /** Every D step left G's weights bit-for-bit unchanged and G's grads null. */
  generatorUntouchedByD: boolean;
  /** Every G step left D's weights bit-for-bit unchanged and D's grads null. */
  discriminatorUntouchedByG: boolean;
  /** The share of 2,000 generated samples nearest each mode and within 0.5 of it. */
  modeShares: number[];
  /** The share of samples within 0.5 of any mode before training. */
  startShare: number;
  seconds: number;
}

/** An MLP of nn.Linear layers with ReLU between them. */
function mlp(sizes: number[], rng: () => number): nn.Sequential {
  const layers: nn.Module[] = [];
  sizes.slice(1).forEach((n, i) => {
    if (i > 0) layers.push(new nn.ReLU());
    layers.push(new nn.Linear(sizes[i], n, { rng }));
  });
  return new nn.Sequential(...layers);
}

const snapshot = (ps: Tensor[]) => ps.map((p) => Float32Array.from(p.data));
const sameBits = (ps: Tensor[], before: Float32Array[]) =>
  ps.every((p, i) =>
    Buffer.from(p.data.buffer, p.data.byteOffset, p.data.byteLength).equals(Buffer.from(before[i].buffer)),
  );

/** The shares of samples nearest each mode (within 0.5). */
function modeShares(points: Float32Array | Float64Array): number[] {
  const counts = new Array<number>(MODES).fill(0);
  const n = points.length / 2;
  for (let i = 0; i < n; i++) {
    const [x, y] = [points[2 * i], points[2 * i + 1]];
    for (let k = 0; k < MODES; k++) {
      const a = (2 * Math.PI * k) / MODES;
      if (Math.hypot(x - RADIUS * Math.cos(a), y - RADIUS * Math.sin(a)) < 0.5) counts[k]++;
    }
  }
  return counts.map((c) => c / n);
}

export function runGan(log: (line: string) => void = console.log, steps = 1500, sink?: ProgressSink | null): GanResult {
  const rng = seededRng(7);
  const G = mlp([NOISE, 64, 64, 2], rng);
  const D = mlp([2, 64, 64, 1], rng);
  const gParams = G.parameters();
  const dParams = D.parameters();
  const gOpt = new Adam(gParams, { lr: 1e-3, betas: [0.5, 0.999] });
  const dOpt = new Adam(dParams, { lr: 1e-3, betas: [0.5, 0.999] });
  const batch = 64;
  const ones = full([batch, 1], 1);
  const zeros = full([batch, 1], 0);
  const real = () => {
    const data = new Float32Array(2 * batch);
    for (let i = 0; i < batch; i++) {
      const a = (2 * Math.PI * Math.floor(rng() * MODES)) / MODES;
      data[2 * i] = RADIUS * Math.cos(a) + STD * gaussian(rng);
      data[2 * i + 1] = RADIUS * Math.sin(a) + STD * gaussian(rng);
    }
    return tensor(data, { shape: [batch, 2] });
  };
  let generatorUntouchedByD = true;
  let discriminatorUntouchedByG = true;
  const evalRng = seededRng(99); // evaluation draws its own noise, so it does not shift training's stream
  const startShare = noGrad(() => modeShares(G.forward(randn([2000, NOISE], { rng: evalRng })).data)).reduce(
    (a, b) => a + b,
  );
  const progress = new Progress('gan', steps, { sink, plainEvery: 500 });
  const start = performance.now();
  for (let step = 1; step <= steps; step++) {
    // Discriminator step: G's output detached, so G gets no gradient and is not changed.
    const gBefore = snapshot(gParams);
    const fake = G.forward(randn([batch, NOISE], { rng })).detach();
    const dLoss = binaryCrossEntropyWithLogits(D.forward(real()), ones).add(
      binaryCrossEntropyWithLogits(D.forward(fake), zeros),
    );
    gOpt.zeroGrad();
    dOpt.zeroGrad();
    dLoss.backward();
    dOpt.step();
    if (!gParams.every((p) => p.grad === null) || !sameBits(gParams, gBefore)) generatorUntouchedByD = false;

    // Generator step: D frozen, so the loss moves only G (non-saturating loss: label fakes real).
    const dBefore = snapshot(dParams);
    D.freeze();
    const gLoss = binaryCrossEntropyWithLogits(D.forward(G.forward(randn([batch, NOISE], { rng }))), ones);
    gOpt.zeroGrad();
    dOpt.zeroGrad();
    gLoss.backward();
    gOpt.step();
    dOpt.step(); // a stray optimiser step on the frozen D must change nothing
    if (!dParams.every((p) => p.grad === null) || !sameBits(dParams, dBefore)) discriminatorUntouchedByG = false;
    D.unfreeze();
    progress.update(step, { loss: gLoss.item() });
  }
  progress.done();
  const seconds = (performance.now() - start) / 1000;
  const samples = noGrad(() => G.forward(randn([2000, NOISE], { rng: evalRng })));
  const shares = modeShares(samples.data);
  log(
    `gan: ${steps} steps in ${seconds.toFixed(1)} s (PyTorch 1.13, one thread, this machine: about ${PYTORCH_GAN_SECONDS} s for 1,500); share of samples at each of the ${MODES} modes: ` +
      shares.map((s) => `${(100 * s).toFixed(1)}%`).join(' ') +
      `; D steps never touched G: ${generatorUntouchedByD}; G steps never touched D: ${discriminatorUntouchedByG}`,
  );
  return { generatorUntouchedByD, discriminatorUntouchedByG, modeShares: shares, startShare, seconds };
}

if (require.main === module) {
  const r = runGan();
  // A dropped mode gets ~0% of the samples; covered means at least a tenth of its fair share.
  const covered = r.modeShares.every((s) => s >= 0.1 / MODES);
  const ok = covered && r.generatorUntouchedByD && r.discriminatorUntouchedByG;
  console.log(
    ok
      ? 'OK: every mode covered (each holds at least a tenth of its fair share), and the players never touched each other.'
      : 'FAILED: a mode is missed or a player changed the other.',
  );
  if (!ok) process.exit(1);
}
