/**
 * `npm run demo`: a short training run that shows stop-gradient at work, using only the core.
 * (The full demo with nn modules and feature extraction replaces this with the toolkit.)
 */
import { Value, makeMoons, seededRng, stopGradient } from '../lib';

const x = new Value(3, { label: 'x' });
const y = x.mul(x);
y.detach_();
y.mul(x).backward();
console.log(`x = 3; y = x*x; y.detach_(); (y*x).backward()  ->  x.grad = ${x.grad} (27 without the detach_)`);

// A linear classifier on two moons, trained with a hinge loss.
const { xs, ys } = makeMoons(100, { rng: seededRng(1337) });
const w = [new Value(0.1, { label: 'w0' }), new Value(-0.1, { label: 'w1' })];
const b = new Value(0, { label: 'b' });
let accuracy = 0;
for (let step = 0; step <= 50; step++) {
  const scores = xs.map(([x0, x1]) => Value.sum([b, w[0].mul(x0), w[1].mul(x1)]));
  const loss = Value.sum(scores.map((s, i) => s.mul(-ys[i]).add(1).relu())).div(xs.length);
  accuracy = scores.filter((s, i) => s.data * ys[i] > 0).length / xs.length;
  for (const p of [...w, b]) p.zeroGrad();
  loss.backward();
  for (const p of [...w, b]) p.data -= 0.5 * p.grad;
  if (step % 10 === 0) console.log(`step ${String(step).padStart(2)}  loss ${loss.data.toFixed(4)}  accuracy ${(accuracy * 100).toFixed(0)}%`);
}

// Stop-gradient on one path: b moves, the frozen copy of w does not receive gradient.
const frozen = stopGradient(w[0]);
const out = frozen.mul(b);
b.zeroGrad();
out.backward();
console.log(`stopGradient(w0) * b: b.grad = ${b.grad.toFixed(4)} (= w0), and w0 is untouched (frozen copy needs no grad: ${!frozen.requiresGrad})`);
if (x.grad !== 9 || accuracy < 0.8) {
  console.error('demo check failed');
  process.exit(1);
}
