import { inspect } from 'util';
import { Adam, AdamW, Layer, MLP, Module, Neuron, SGD, Value } from '../../lib';

test('an MLP prints as a tree with sizes and parameter counts, identical children once', () => {
  const model = new MLP(2, [16, 16, 1]);
  const expected = [
    'MLP(2 -> 16 -> 16 -> 1; 337 parameters)',
    '  (layers.0): Layer(2 -> 16, relu; 48 parameters)',
    '    (neurons): 16 x Neuron(2 inputs, relu; 3 parameters)',
    '  (layers.1): Layer(16 -> 16, relu; 272 parameters)',
    '    (neurons): 16 x Neuron(16 inputs, relu; 17 parameters)',
    '  (layers.2): Layer(16 -> 1, linear; 17 parameters)',
    '    (neurons.0): Neuron(16 inputs, linear; 17 parameters)',
  ].join('\n');
  expect(String(model)).toBe(expected);
  expect(inspect(model)).toBe(expected);
  expect(String(new Neuron(3, { activation: 'tanh' }))).toBe('Neuron(3 inputs, tanh; 4 parameters)');
});

test('a custom module lists its named submodules; frozen or not, the count is of all parameters', () => {
  class TwoHeads extends Module {
    body = new Layer(2, 4, { activation: 'relu' }).freeze();
    heads = [new Layer(4, 1), new Layer(4, 2)];
    scale = new Value(1);
    protected members() {
      return { body: this.body, heads: this.heads, scale: this.scale };
    }
  }
  expect(String(new TwoHeads()).split('\n')).toEqual([
    'TwoHeads(28 parameters)',
    '  (body): Layer(2 -> 4, relu; 12 parameters)',
    '    (neurons): 4 x Neuron(2 inputs, relu; 3 parameters)',
    '  (heads.0): Layer(4 -> 1, linear; 5 parameters)',
    '    (neurons.0): Neuron(4 inputs, linear; 5 parameters)',
    '  (heads.1): Layer(4 -> 2, linear; 10 parameters)',
    '    (neurons): 2 x Neuron(4 inputs, linear; 5 parameters)',
  ]);
});

test('optimisers print their hyperparameters and parameter count, never the parameters', () => {
  const params = new MLP(2, [3, 1]).parameters();
  expect(inspect(new SGD(params, { lr: 0.05, momentum: 0.9 }))).toBe(
    'SGD(lr=0.05, momentum=0.9, dampening=0, weightDecay=0, nesterov=false; 13 parameters)',
  );
  expect(String(new Adam(params))).toBe('Adam(lr=0.001, betas=[0.9, 0.999], eps=1e-8, weightDecay=0; 13 parameters)');
  expect(String(new AdamW(params, { lr: 0.01 }))).toBe(
    'AdamW(lr=0.01, betas=[0.9, 0.999], eps=1e-8, weightDecay=0.01; 13 parameters)',
  );
});
