import { MLP, Module, Neuron, Value } from '../../lib';
import type { Member } from '../../lib';

describe('Module', () => {
  test('namedParameters gives stable dotted names, depth first', () => {
    const model = new MLP(2, [3, 1]);
    const names = model.namedParameters().map(([name]) => name);
    expect(names.slice(0, 4)).toEqual([
      'layers.0.neurons.0.w.0',
      'layers.0.neurons.0.w.1',
      'layers.0.neurons.0.b',
      'layers.0.neurons.1.w.0',
    ]);
    expect(names[names.length - 1]).toBe('layers.1.neurons.0.b');
    expect(names).toHaveLength(3 * 3 + 4);
    expect(model.parameters()).toEqual(model.namedParameters().map(([, p]) => p));
  });

  test('a parameter shared by two members is listed once', () => {
    class Tied extends Module {
      readonly shared = new Value(1);
      protected members(): Record<string, Member> {
        return { a: this.shared, b: [this.shared, new Value(2)] };
      }
    }
    expect(new Tied().namedParameters().map(([n, p]) => [n, p.data])).toEqual([
      ['a', 1],
      ['b.1', 2],
    ]);
  });

  test('freeze and unfreeze every parameter; zeroGrad resets them', () => {
    const model = new MLP(2, [4, 1]);
    expect(model.freeze()).toBe(model);
    expect(model.parameters().every((p) => !p.requiresGrad)).toBe(true);
    expect(model.call([1, 2])[0].requiresGrad).toBe(false);
    model.unfreeze();
    const out = model.call([1, 2])[0];
    out.backward();
    expect(model.parameters().some((p) => p.grad !== 0)).toBe(true);
    model.zeroGrad();
    expect(model.parameters().every((p) => p.grad === 0)).toBe(true);
  });

  test('stateDict / loadStateDict round trip', () => {
    const a = new MLP(2, [3, 1], { rng: () => 0.25 });
    const b = new MLP(2, [3, 1], { rng: () => 0.75 });
    b.loadStateDict(a.stateDict());
    expect(b.stateDict()).toEqual(a.stateDict());
    expect(Object.keys(new Neuron(2).stateDict())).toEqual(['w.0', 'w.1', 'b']);
  });

  test('loadStateDict names the first mismatch and changes nothing', () => {
    const model = new Neuron(2);
    const before = model.stateDict();
    expect(() => model.loadStateDict({ 'w.0': 1, 'w.1': 2 })).toThrow(/parameter 'b' is missing/);
    expect(() => model.loadStateDict({ 'w.0': 1, 'w.1': 2, b: 3, extra: 4 })).toThrow(
      /has 'extra', which is not a parameter/,
    );
    expect(() => model.loadStateDict({ 'w.0': 1, 'w.1': '2' as unknown as number, b: 3 })).toThrow(
      /'w.1' must be a number, got "2"/,
    );
    expect(() => model.loadStateDict(null as unknown as Record<string, number>)).toThrow(TypeError);
    expect(model.stateDict()).toEqual(before);
  });
});
