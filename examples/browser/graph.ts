/** The small graph the browser example draws: one of each kind of gradient stop. */
import { MLP, Value, seededRng, stopGradient } from 'stopgrad';

/**
 * One point's hinge loss through a 2-2-1 net, minus a baseline: one hidden neuron is frozen,
 * one input is a stopGradient copy, and the baseline was cut from its history with detach_().
 */
export function markedGraph(): Value {
  const net = new MLP(2, [2, 1], { rng: seededRng(3) });
  net.layers[0].neurons[0].freeze();
  const x0 = new Value(0.5, { label: 'x0' });
  const x1 = new Value(-0.25, { label: 'x1' });
  const score = net.call([x0, stopGradient(x1)])[0];
  score.label = 'score';
  const baseline = new Value(0.4, { label: 'running' }).mul(0.9);
  baseline.label = 'baseline';
  baseline.detach_();
  const loss = score.mul(-1).add(1).relu().sub(baseline);
  loss.label = 'loss';
  loss.backward();
  return loss;
}
