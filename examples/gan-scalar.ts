/**
 * A GAN on 1-D data, isolating the two players with stop-gradient:
 * - discriminator steps score `G(z).detach()`, so no gradient reaches the generator;
 * - generator steps freeze D (`D.freeze()`), so the generator's loss moves only G.
 * The generated mean moves from 0 to the data mean (4).
 */
import { Adam, MLP, Value, gaussian, seededRng } from '../lib';

export interface GanResult {
  dataMean: number;
  startMean: number;
  finalMean: number;
  generatorUntouchedByD: boolean;
  discriminatorUntouchedByG: boolean;
}

const DATA_MEAN = 4;
const DATA_STD = 1.25;

export function runGan(log: (line: string) => void = console.log, steps = 600): GanResult {
  const rng = seededRng(5);
  const G = new MLP(1, [8, 1], { activation: 'tanh', rng });
  const D = new MLP(1, [8, 1], { activation: 'tanh', rng });
  const gOpt = new Adam(G.parameters(), { lr: 0.01, betas: [0.5, 0.999] });
  const dOpt = new Adam(D.parameters(), { lr: 0.01, betas: [0.5, 0.999] });
  const batch = 32;
  const sampleMean = () => {
    let sum = 0;
    for (let i = 0; i < 500; i++) sum += G.call([gaussian(rng)])[0].data;
    return sum / 500;
  };
  const startMean = sampleMean();
  let generatorUntouchedByD = true;
  let discriminatorUntouchedByG = true;

  for (let step = 1; step <= steps; step++) {
    // Discriminator: real data scored high, generated samples (detached) scored low.
    const real = Array.from({ length: batch }, () => DATA_MEAN + DATA_STD * gaussian(rng));
    const fake = Array.from({ length: batch }, () => G.call([gaussian(rng)])[0].detach());
    const dLoss = Value.sum([
      ...real.map((x) => D.call([x])[0].neg().softplus()),
      ...fake.map((g) => D.call([g])[0].softplus()),
    ]).div(2 * batch);
    G.zeroGrad();
    dOpt.zeroGrad();
    dLoss.backward();
    if (G.parameters().some((p) => p.grad !== 0)) generatorUntouchedByD = false;
    dOpt.step();

    // Generator: D frozen, so only G learns to make D score its samples high.
    D.freeze().zeroGrad();
    const gLoss = Value.sum(
      Array.from({ length: batch }, () =>
        D.call(G.call([gaussian(rng)]))[0]
          .neg()
          .softplus(),
      ),
    ).div(batch);
    gOpt.zeroGrad();
    gLoss.backward();
    if (D.parameters().some((p) => p.grad !== 0)) discriminatorUntouchedByG = false;
    gOpt.step();
    D.unfreeze();
    if (step % 100 === 0)
      log(
        `step ${String(step).padStart(4)}  D loss ${dLoss.data.toFixed(3)}  G loss ${gLoss.data.toFixed(3)}  generated mean ${sampleMean().toFixed(2)}`,
      );
  }
  return { dataMean: DATA_MEAN, startMean, finalMean: sampleMean(), generatorUntouchedByD, discriminatorUntouchedByG };
}

if (require.main === module) {
  const r = runGan();
  const ok = Math.abs(r.finalMean - r.dataMean) < 0.5 && r.generatorUntouchedByD && r.discriminatorUntouchedByG;
  console.log(
    `${ok ? 'OK' : 'FAILED'}: generated mean ${r.startMean.toFixed(2)} -> ${r.finalMean.toFixed(2)} (data mean ${r.dataMean}); D steps never touched G: ${r.generatorUntouchedByD}; G steps never touched D: ${r.discriminatorUntouchedByG}`,
  );
  if (!ok) process.exit(1);
}
