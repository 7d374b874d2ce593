/** The MLP task on the naive micrograd port, written as micrograd's nn.py and demo write it. */
import { NaiveValue, naiveGraphSize } from '../reference/naive-engine';
import { ALPHA, LEARNING_RATE, type MlpEngine, initialWeights, taskData } from './mlp-task';

export function naiveMlp(): MlpEngine {
  const { xs, ys } = taskData();
  const layers = initialWeights().map((layer) => layer.map((neuron) => neuron.map((v) => new NaiveValue(v))));
  const params = layers.flat(2);
  const last = layers.length - 1;

  const forward = (x: number[]): NaiveValue => {
    let h: (NaiveValue | number)[] = x;
    layers.forEach((layer, l) => {
      h = layer.map((neuron) => {
        // sum((wi*xi for wi, xi in zip(self.w, x)), self.b)
        let act = neuron[neuron.length - 1];
        for (let i = 0; i < neuron.length - 1; i++) act = act.add(neuron[i].mul(h[i]));
        return l < last ? act.relu() : act;
      });
    });
    return h[0] as NaiveValue;
  };
  const buildLoss = (): NaiveValue => {
    // losses = [(1 + -yi*scorei).relu() ...]; data_loss = sum(losses) * (1/n); reg = alpha * sum(p*p)
    const losses = xs.map((x, i) => forward(x).mul(-ys[i]).add(1).relu());
    let dataLoss = losses[0];
    for (let i = 1; i < losses.length; i++) dataLoss = dataLoss.add(losses[i]);
    let squares = params[0].mul(params[0]);
    for (let i = 1; i < params.length; i++) squares = squares.add(params[i].mul(params[i]));
    return dataLoss.mul(1 / losses.length).add(squares.mul(ALPHA));
  };
  return {
    name: 'naive micrograd port',
    step() {
      const loss = buildLoss();
      for (const p of params) p.grad = 0;
      loss.backward();
      for (const p of params) p.data -= LEARNING_RATE * p.grad;
      return loss.data;
    },
    buildLoss,
    nodesPerStep: () => naiveGraphSize(buildLoss()),
  };
}
