/**
 * Dropout's seeded mask (one draw per element from the layer's source, kept when the draw is
 * >= p, kept elements scaled by 1/(1-p)), its gradient and its eval identity; PyTorch's default
 * initialisation bounds, seeds and nn.manualSeed.
 */
import { nn, ones, seededRng, tensor } from '../../../lib';

describe('nn.Dropout', () => {
  test('the mask is the seeded draws, kept elements scaled, and the gradient is the mask', () => {
    const drop = new nn.Dropout(0.25, { seed: 7 });
    const x = tensor([1, 2, 3, 4, 5, 6, 7, 8], { dtype: 'float64', requiresGrad: true });
    const y = drop.forward(x);
    const rng = seededRng(7);
    const mask = Array.from({ length: 8 }, () => (rng() >= 0.25 ? 1 / 0.75 : 0));
    expect(Array.from(y.data)).toEqual(mask.map((m, i) => m * (i + 1)));
    expect(mask.filter((m) => m === 0).length).toBeGreaterThan(0);
    y.sum().backward();
    expect(Array.from(x.grad!.data)).toEqual(mask);
    // The next call draws a new mask from the same source.
    const next = Array.from({ length: 8 }, () => (rng() >= 0.25 ? 1 / 0.75 : 0));
    expect(Array.from(drop.forward(ones([8], { dtype: 'float64' })).data)).toEqual(next);
  });

  test('the same seed gives the same masks; the kept fraction is about 1 - p', () => {
    const a = new nn.Dropout(0.5, { seed: 3 }).forward(ones([4000]));
    const b = new nn.Dropout(0.5, { seed: 3 }).forward(ones([4000]));
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    const kept = Array.from(a.data).filter((v) => v === 2).length;
    expect(Math.abs(kept / 4000 - 0.5)).toBeLessThan(0.03);
  });

  test('eval mode, p = 0 and p = 1', () => {
    const x = tensor([1, 2, 3]);
    const drop = new nn.Dropout(0.9, { seed: 1 });
    expect(drop.eval().forward(x)).toBe(x);
    expect(drop.train().forward(x)).not.toBe(x);
    expect(new nn.Dropout(0).forward(x)).toBe(x);
    expect(Array.from(new nn.Dropout(1).forward(x).data)).toEqual([0, 0, 0]);
    expect(() => new nn.Dropout(1.5)).toThrow('p must be a probability in [0, 1], got 1.5');
  });
});

describe('initialisation', () => {
  test('Linear and Conv2d draw from U(±1/sqrt(fan_in)), weights then bias, as PyTorch', () => {
    const fc = new nn.Linear(16, 8, { seed: 5 });
    const rng = seededRng(5);
    const draws = Array.from({ length: 16 * 8 + 8 }, () => (rng() * 2 - 1) / 4);
    expect(Array.from(fc.weight.data)).toEqual(Array.from(Float32Array.from(draws.slice(0, 128))));
    expect(Array.from(fc.bias!.data)).toEqual(Array.from(Float32Array.from(draws.slice(128))));
    // fan_in = in / groups · kh · kw = 4 / 2 · 3 · 3 = 18
    const conv = new nn.Conv2d(4, 6, 3, { groups: 2, seed: 1, dtype: 'float64' });
    const all = [...conv.weight.data, ...conv.bias!.data];
    const bound = 1 / Math.sqrt(18);
    expect(Math.max(...all.map(Math.abs))).toBeLessThan(bound);
    expect(Math.max(...all.map(Math.abs))).toBeGreaterThan(0.9 * bound);
    expect(conv.weight.requiresGrad && conv.bias!.requiresGrad).toBe(true);
  });

  test('without a seed, layers draw from one generator that nn.manualSeed restarts', () => {
    nn.manualSeed(11);
    const a = new nn.Linear(3, 3);
    const b = new nn.Linear(3, 3);
    expect(Array.from(a.weight.data)).not.toEqual(Array.from(b.weight.data));
    nn.manualSeed(11);
    expect(Array.from(new nn.Linear(3, 3).weight.data)).toEqual(Array.from(a.weight.data));
    expect(() => new nn.Linear(3, 3, { seed: 1, rng: seededRng(1) })).toThrow('give rng or seed, not both');
  });

  test('Embedding from N(0, 1); norms start at weight 1, bias 0', () => {
    const w = Array.from(new nn.Embedding(100, 20, { seed: 2, dtype: 'float64' }).weight.data);
    const mean = w.reduce((s, v) => s + v, 0) / w.length;
    const sd = Math.sqrt(w.reduce((s, v) => s + (v - mean) ** 2, 0) / w.length);
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(Math.abs(sd - 1)).toBeLessThan(0.05);
    const norm = new nn.LayerNorm(3);
    expect([...norm.weight!.data, ...norm.bias!.data]).toEqual([1, 1, 1, 0, 0, 0]);
  });
});
