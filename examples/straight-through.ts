/**
 * Straight-through estimator: a linear model whose weights are quantised to steps of 0.25 in
 * the forward pass (rounding has derivative 0 almost everywhere) still learns, because
 * `straightThrough(w, quantise)` passes the gradient to the latent float weight unchanged.
 * The same model with plain rounding (a custom op with the true, zero gradient) never moves.
 */
import { SGD, Value, customOp, seededRng, straightThrough } from '../lib';

export interface StraightThroughResult {
  quantisedWeights: number[];
  finalLoss: number;
  plainRoundingWeights: number[];
}

const quantise = (w: number) => Math.round(w * 4) / 4;
/** Rounding with its true derivative (0): what an engine would do without the estimator. */
const roundWithTrueGradient = customOp({ name: 'round', forward: quantise, backward: ({ grad }) => [grad.mul(0)] });

function train(useStraightThrough: boolean, steps: number): { weights: number[]; loss: number } {
  const rng = seededRng(3);
  const xs = Array.from({ length: 32 }, () => rng() * 4 - 2);
  const ys = xs.map((x) => 3 * x - 2); // target weights 3 and -2 are on the 0.25 grid
  const w = new Value(0.1);
  const b = new Value(0.1);
  const opt = new SGD([w, b], { lr: 0.05 });
  let loss = new Value(0);
  for (let step = 0; step < steps; step++) {
    const qw = useStraightThrough ? straightThrough(w, quantise) : roundWithTrueGradient(w);
    const qb = useStraightThrough ? straightThrough(b, quantise) : roundWithTrueGradient(b);
    loss = Value.sum(xs.map((x, i) => qw.mul(x).add(qb).sub(ys[i]).pow(2))).div(xs.length);
    opt.zeroGrad();
    loss.backward();
    opt.step();
  }
  return { weights: [quantise(w.data), quantise(b.data)], loss: loss.data };
}

export function runStraightThrough(log: (line: string) => void = console.log, steps = 200): StraightThroughResult {
  const st = train(true, steps);
  const plain = train(false, steps);
  log(`with straightThrough: quantised weights ${st.weights.join(', ')} (target 3, -2), loss ${st.loss.toFixed(6)}`);
  log(`with plain rounding (true gradient 0): weights ${plain.weights.join(', ')}: nothing learned`);
  return { quantisedWeights: st.weights, finalLoss: st.loss, plainRoundingWeights: plain.weights };
}

if (require.main === module) {
  const r = runStraightThrough();
  const ok =
    r.quantisedWeights[0] === 3 && r.quantisedWeights[1] === -2 && r.finalLoss === 0 && r.plainRoundingWeights[0] === 0;
  console.log(`${ok ? 'OK' : 'FAILED'}: the quantised model learned the exact weights; plain rounding did not move`);
  if (!ok) process.exit(1);
}
