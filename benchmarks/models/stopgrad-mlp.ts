/**
 * The MLP task on stopgrad, three ways: (1) the same graph as the naive port, a chain of binary
 * adds per neuron; (2) one `Value.sum` node per neuron; (3) the library's own `nn.MLP`, whose
 * neurons are one `Value.dot` node each, with `SGD` from `lib/optim`.
 */
import { MLP, SGD, Value } from '../../lib';
import { ALPHA, LEARNING_RATE, type MlpEngine, initialWeights, taskData } from './mlp-task';

export type NeuronStyle = 'chain' | 'sum';

const NAMES: Record<NeuronStyle, string> = {
  chain: 'stopgrad, same graph (chained adds)',
  sum: 'stopgrad, Value.sum per neuron',
};

/** The task written as a user would: stopgrad's MLP and SGD, started from the task's weights. */
export function stopgradNnMlp(): MlpEngine {
  const { xs, ys } = taskData();
  const model = new MLP(2, [16, 16, 1]);
  const weights = initialWeights();
  const state: Record<string, number> = {};
  weights.forEach((layer, l) =>
    layer.forEach((neuron, j) => {
      neuron.slice(0, -1).forEach((w, i) => (state[`layers.${l}.neurons.${j}.w.${i}`] = w));
      state[`layers.${l}.neurons.${j}.b`] = neuron[neuron.length - 1];
    }),
  );
  model.loadStateDict(state);
  const params = model.parameters();
  const opt = new SGD(params, { lr: LEARNING_RATE });
  const buildLoss = (): Value => {
    const losses = xs.map((x, i) => model.call(x)[0].mul(-ys[i]).add(1).relu());
    return Value.sum(losses)
      .mul(1 / losses.length)
      .add(Value.dot(params, params).mul(ALPHA));
  };
  return {
    name: 'stopgrad nn.MLP + SGD (Value.dot per neuron)',
    step() {
      const loss = buildLoss();
      opt.zeroGrad();
      loss.backward();
      opt.step();
      return loss.data;
    },
    buildLoss,
    nodesPerStep: () => graphSize(buildLoss()),
  };
}

export function stopgradMlp(style: NeuronStyle): MlpEngine {
  const { xs, ys } = taskData();
  const layers = initialWeights().map((layer) => layer.map((neuron) => neuron.map((v) => new Value(v))));
  const params = layers.flat(2);
  const last = layers.length - 1;

  const neuronOutput = (neuron: Value[], h: (Value | number)[]): Value => {
    const bias = neuron[neuron.length - 1];
    if (style === 'sum') {
      const terms: Value[] = [bias];
      for (let i = 0; i < neuron.length - 1; i++) terms.push(neuron[i].mul(h[i]));
      return Value.sum(terms);
    }
    let act = bias;
    for (let i = 0; i < neuron.length - 1; i++) act = act.add(neuron[i].mul(h[i]));
    return act;
  };
  const forward = (x: number[]): Value => {
    let h: (Value | number)[] = x;
    layers.forEach((layer, l) => {
      h = layer.map((neuron) => {
        const act = neuronOutput(neuron, h);
        return l < last ? act.relu() : act;
      });
    });
    return h[0] as Value;
  };
  const buildLoss = (): Value => {
    const losses = xs.map((x, i) => forward(x).mul(-ys[i]).add(1).relu());
    if (style === 'chain') {
      let dataLoss = losses[0];
      for (let i = 1; i < losses.length; i++) dataLoss = dataLoss.add(losses[i]);
      let squares = params[0].mul(params[0]);
      for (let i = 1; i < params.length; i++) squares = squares.add(params[i].mul(params[i]));
      return dataLoss.mul(1 / losses.length).add(squares.mul(ALPHA));
    }
    const squares = Value.sum(params.map((p) => p.mul(p)));
    return Value.sum(losses)
      .mul(1 / losses.length)
      .add(squares.mul(ALPHA));
  };
  return {
    name: NAMES[style],
    step() {
      const loss = buildLoss();
      for (const p of params) p.zeroGrad();
      loss.backward();
      for (const p of params) p.data -= LEARNING_RATE * p.grad;
      return loss.data;
    },
    buildLoss,
    nodesPerStep: () => graphSize(buildLoss()),
  };
}

/** Every Value reachable from `root` through `parents`, counted iteratively. */
export function graphSize(root: Value): number {
  const seen = new Set<Value>([root]);
  const stack = [root];
  while (stack.length > 0) {
    for (const parent of stack.pop()!.parents) {
      if (!seen.has(parent)) {
        seen.add(parent);
        stack.push(parent);
      }
    }
  }
  return seen.size;
}
