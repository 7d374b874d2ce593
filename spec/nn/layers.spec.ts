import { Layer, Linear, MLP, Neuron, Value, seededRng } from '../../lib';
import { expectGradientsMatch } from '../helpers/finite-difference';

describe('Neuron, Layer, MLP', () => {
  test('a neuron computes act(b + sum w_i x_i), bias first as micrograd adds it', () => {
    const n = new Neuron(3, { activation: 'tanh', rng: seededRng(5) });
    n.b.data = 0.3;
    const x = [0.5, -1, 2];
    let z = n.b.data;
    for (let i = 0; i < 3; i++) z = z + n.w[i].data * x[i];
    expect(n.call(x).data).toBe(Math.tanh(z));
    expect(new Neuron(2, { activation: 'relu', rng: () => 0 }).call([1, 1]).data).toBe(0);
  });

  test('shapes: layers of neurons, MLP of layers; Linear is Layer with a linear default', () => {
    const model = new MLP(2, [16, 16, 1]);
    expect(model.layers.map((l) => l.neurons.length)).toEqual([16, 16, 1]);
    expect(model.parameters()).toHaveLength(337);
    expect(Linear).toBe(Layer);
    expect(new Linear(2, 2).neurons[0].activation).toBe('linear');
    expect(model.layers.map((l) => l.neurons[0].activation)).toEqual(['relu', 'relu', 'linear']);
    expect(new MLP(2, [3, 1], { activation: 'tanh', outputActivation: 'tanh' }).layers[1].neurons[0].activation).toBe(
      'tanh',
    );
  });

  test('Glorot uniform by default with fanIn = nin and fanOut = nout; biases start at 0', () => {
    const layer = new Layer(4, 12, { rng: seededRng(1) });
    const bound = Math.sqrt(6 / (4 + 12));
    const weights = layer.neurons.flatMap((n) => n.w.map((w) => w.data));
    expect(weights.every((w) => Math.abs(w) < bound)).toBe(true);
    expect(Math.max(...weights.map(Math.abs))).toBeGreaterThan(bound * 0.8);
    expect(layer.neurons.every((n) => n.b.data === 0)).toBe(true);
  });

  test('the same seed gives bit-identical parameters; another seed does not', () => {
    const a = new MLP(2, [8, 1], { rng: seededRng(7), init: 'heNormal' }).stateDict();
    const b = new MLP(2, [8, 1], { rng: seededRng(7), init: 'heNormal' }).stateDict();
    const c = new MLP(2, [8, 1], { rng: seededRng(8), init: 'heNormal' }).stateDict();
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  test('gradients of a small MLP match central differences', () => {
    const model = new MLP(2, [3, 1], { activation: 'tanh', rng: seededRng(3) });
    const params = model.parameters();
    const values = params.map((p) => p.data);
    const f = (...ps: Value[]) => {
      params.forEach((p, i) => (p.data = ps[i].data));
      // rebuild with the given leaves standing in for the parameters
      const h = model.layers[0].neurons.map((n, j) =>
        Value.dot(ps.slice(j * 3, j * 3 + 2), [0.4, -0.7], ps[j * 3 + 2]).tanh(),
      );
      return Value.dot(ps.slice(9, 12), h, ps[12]);
    };
    expectGradientsMatch(f, values);
    const out = model.call([0.4, -0.7])[0];
    out.backward();
    const leaves = values.map((v) => new Value(v));
    f(...leaves).backward();
    expect(params.map((p) => p.grad)).toEqual(leaves.map((l) => l.grad));
  });

  test('bad sizes, options and inputs get errors naming both sizes', () => {
    expect(() => new Neuron(0)).toThrow(/nin must be a positive integer, got 0/);
    expect(() => new Layer(2, 1.5)).toThrow(/nout must be a positive integer/);
    expect(() => new MLP(2, [])).toThrow(/nouts must be a non-empty array/);
    expect(() => new MLP(2, [2], { activation: 'gelu' as 'relu' })).toThrow(
      /activation must be one of tanh, relu, linear/,
    );
    expect(() => new MLP(2, [2], { init: 'zeros' as 'heNormal' })).toThrow(/init must be one of/);
    expect(() => new MLP(2, [3]).call([1, 2, 3])).toThrow(/expected 2 inputs, got 3/);
    expect(() => new Neuron(2).call(['1', 2] as unknown as number[])).toThrow(/expected a Value or a number, got "1"/);
  });
});
