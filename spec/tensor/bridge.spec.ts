/** One graph of Values and Tensors: fromValues and toValues cross between the kinds, and gradients flow both ways, at first order and under createGraph. */
import { Value, fromValues, noGrad, tensor, toValues } from '../../lib';
import { expectTensorClose, f64 } from '../helpers/tensor-gradcheck';

describe('fromValues', () => {
  test('gathers Values (and numbers) into a float64 tensor of the given shape', () => {
    const t = fromValues([new Value(1), 2, new Value(3), 4], [2, 2]);
    expect([t.shape, t.dtype, t.toArray(), t.op]).toEqual([
      [2, 2],
      'float64',
      [
        [1, 2],
        [3, 4],
      ],
      'fromValues',
    ]);
    expect(fromValues([new Value(5)]).shape).toEqual([1]);
    expect(fromValues([new Value(5)], []).shape).toEqual([]);
  });

  test('the documented example: a = 2, b = 3, t = [a, b], (t·t).sum() seen as a Value: a.grad = 4, b.grad = 6', () => {
    const a = new Value(2);
    const b = new Value(3);
    const t = fromValues([a, b], [2]);
    t.mul(t).sum().toValues()[0].backward();
    expect([a.grad, b.grad]).toEqual([4, 6]);
  });

  test('a tensor backward reaches the Values; a number entry is a constant', () => {
    const a = new Value(0.5);
    const b = new Value(-2);
    const w = f64(
      [
        [1, 2],
        [3, 4],
      ],
      true,
    );
    const t = fromValues([a, 7, b, 1], [2, 2]);
    t.mul(w).tanh().sum().backward();
    const d = (z: number) => 1 - Math.tanh(z) ** 2;
    expect(a.grad).toBeCloseTo(1 * d(0.5), 15);
    expect(b.grad).toBeCloseTo(3 * d(-6), 15);
    expectTensorClose(w.grad!, [
      [0.5 * d(0.5), 7 * d(14)],
      [-2 * d(-6), 1 * d(4)],
    ]);
  });

  test('a Value used twice gets both contributions', () => {
    const a = new Value(3);
    fromValues([a, a])
      .mul(f64([2, 5]))
      .sum()
      .backward();
    expect(a.grad).toBe(7);
  });

  test('without grad (noGrad, or Values that need none) nothing is recorded', () => {
    const a = new Value(1);
    expect(noGrad(() => fromValues([a])).requiresGrad).toBe(false);
    expect(fromValues([new Value(1, { requiresGrad: false }), 2]).requiresGrad).toBe(false);
  });

  test('bad input is an error naming it', () => {
    expect(() => fromValues([new Value(1), new Value(2)], [3])).toThrow(
      'fromValues(): 2 values cannot fill shape [3].',
    );
    expect(() => fromValues([new Value(1), '2' as unknown as number])).toThrow(
      'fromValues(): values[1] must be a Value or a number, got string.',
    );
    expect(() => fromValues(new Value(1) as unknown as Value[])).toThrow(
      'fromValues(values, shape): values must be an array of Values or numbers',
    );
  });
});

describe('toValues', () => {
  test('splits a tensor row-major into Values connected to it', () => {
    const w = f64(
      [
        [1, 2],
        [3, 4],
      ],
      true,
    );
    const vs = w.toValues();
    expect(vs.map((v) => v.data)).toEqual([1, 2, 3, 4]);
    // L = w00 * w11 - w01^2 + w10
    vs[0].mul(vs[3]).sub(vs[1].mul(vs[1])).add(vs[2]).backward();
    expectTensorClose(w.grad!, [
      [4, -4],
      [1, 1],
    ]);
  });

  test('a constant tensor gives Values that need no grad', () => {
    const vs = toValues(tensor([1, 2]));
    expect(vs.map((v) => v.requiresGrad)).toEqual([false, false]);
  });

  test('gradients from Values and from tensor ops on the same tensor add up', () => {
    const w = f64([1, 2], true);
    const [w0] = w.toValues();
    const fromTensor = w.mul(w).sum(); // d/dw = 2w
    fromTensor.toValues()[0].add(w0.mul(10)).backward();
    expectTensorClose(w.grad!, [12, 4]);
  });
});

describe('round trips', () => {
  test('Value → Tensor → Values → Value: every leaf of either kind gets the gradient of the whole', () => {
    // L = Σ_i (w_i a + b)^2 over a tensor w, with Values a and b.
    const a = new Value(0.7);
    const b = new Value(-0.2);
    const w = f64([1.5, -0.5, 2], true);
    const h = w.mul(fromValues([a], [])).add(fromValues([b], []));
    const loss = Value.sum(h.toValues().map((v) => v.mul(v)));
    loss.backward();
    const ws = [1.5, -0.5, 2];
    const r = ws.map((wi) => wi * 0.7 - 0.2);
    expect(loss.data).toBeCloseTo(
      r.reduce((s, v) => s + v * v, 0),
      15,
    );
    expect(a.grad).toBeCloseTo(
      r.reduce((s, v, i) => s + 2 * v * ws[i], 0),
      14,
    );
    expect(b.grad).toBeCloseTo(
      r.reduce((s, v) => s + 2 * v, 0),
      14,
    );
    expectTensorClose(
      w.grad!,
      r.map((v) => 2 * v * 0.7),
      1e-15,
    );
  });

  test('gradients through the crossing match central differences', () => {
    const f = (a0: number, w0: number) => {
      const a = new Value(a0);
      const w = f64([w0, 1.3], true);
      const t = fromValues([a, a.mul(a)])
        .mul(w)
        .exp();
      const [u, v] = t.toValues();
      return { out: u.mul(v).log().add(u), a, w };
    };
    const at = [0.4, -0.8];
    const { out, a, w } = f(at[0], at[1]);
    out.backward();
    const eps = 1e-6;
    const da = (f(at[0] + eps, at[1]).out.data - f(at[0] - eps, at[1]).out.data) / (2 * eps);
    const dw = (f(at[0], at[1] + eps).out.data - f(at[0], at[1] - eps).out.data) / (2 * eps);
    expect(Math.abs(a.grad - da)).toBeLessThan(1e-8);
    expect(Math.abs(w.grad!.data[0] - dw)).toBeLessThan(1e-8);
  });

  test('two backward() calls through the crossing double every gradient exactly', () => {
    const a = new Value(0.3);
    const w = f64([2, -1], true);
    const loss = Value.sum(
      w
        .mul(fromValues([a, a]))
        .sin()
        .toValues(),
    );
    loss.backward();
    const first = [a.grad, ...Array.from(w.grad!.data)];
    loss.backward();
    expect([a.grad, ...Array.from(w.grad!.data)]).toEqual(first.map((g) => 2 * g));
  });
});

describe('under createGraph, gradients carry graphs across the crossing both ways', () => {
  // L = Σ_i (w_i a)^2 = a² Σ w_i²: ∂L/∂w_i = 2 w_i a², ∂L/∂a = 2 a Σ w_i².
  const build = () => {
    const a = new Value(1.5);
    const w = f64([2, -1], true);
    const loss = Value.sum(
      w
        .mul(fromValues([a]))
        .toValues()
        .map((v) => v.mul(v)),
    );
    loss.backward(1, { createGraph: true });
    return { a, w };
  };

  test('the first-order gradients are right and carry graphs', () => {
    const { a, w } = build();
    expectTensorClose(w.grad!, [9, -4.5]);
    expect(w.grad!.requiresGrad).toBe(true);
    expect(a.grad).toBe(15);
    expect(a.gradValue!.data).toBe(15);
  });

  test("the tensor's gradient differentiated again reaches the Value: d/da Σ 2 w_i a² = 4 a Σ w_i = 6", () => {
    const { a, w } = build();
    const gw = w.grad!;
    w.zeroGrad();
    a.zeroGrad();
    gw.sum().backward();
    expect(a.grad).toBeCloseTo(6, 14);
    expectTensorClose(w.grad!, [4.5, 4.5]); // d/dw_i Σ 2 w_j a² = 2a²
  });

  test("the Value's gradient differentiated again reaches the tensor: d/dw_i 2 a Σ w_j² = 4 a w_i", () => {
    const { a, w } = build();
    const ga = a.gradValue!;
    w.zeroGrad();
    a.zeroGrad();
    ga.backward();
    expectTensorClose(w.grad!, [12, -6]);
    expect(a.grad).toBeCloseTo(10, 14); // d/da 2 a Σ w² = 2 Σ w² = 10
  });
});
