import { glorotNormal, glorotUniform, heNormal, heUniform, seededRng, xavierNormal, xavierUniform } from '../../lib';

const draws = (f: (rng: () => number) => number, n = 4000) => {
  const rng = seededRng(11);
  return Array.from({ length: n }, () => f(rng));
};
const std = (xs: number[]) => Math.sqrt(xs.reduce((s, x) => s + x * x, 0) / xs.length);

describe('initialisers', () => {
  test('Glorot uniform stays inside sqrt(6 / (fanIn + fanOut)), times the gain, and fills it', () => {
    const xs = draws((rng) => glorotUniform(2, 16, { rng }));
    const bound = Math.sqrt(6 / 18);
    expect(Math.max(...xs.map(Math.abs))).toBeLessThan(bound);
    expect(Math.max(...xs.map(Math.abs))).toBeGreaterThan(0.99 * bound);
    const scaled = draws((rng) => glorotUniform(2, 16, { rng, gain: 2 }));
    expect(scaled).toEqual(xs.map((x): unknown => expect.closeTo(2 * x, 14)));
  });

  test('He uniform bound is gain * sqrt(3 / fanIn), gain sqrt(2) by default', () => {
    const xs = draws((rng) => heUniform(16, 4, { rng }));
    expect(Math.max(...xs.map(Math.abs))).toBeLessThan(Math.SQRT2 * Math.sqrt(3 / 16));
    expect(Math.max(...xs.map(Math.abs))).toBeGreaterThan(0.99 * Math.SQRT2 * Math.sqrt(3 / 16));
  });

  test('normal initialisers have the right standard deviation (within sampling error)', () => {
    expect(std(draws((rng) => glorotNormal(2, 16, { rng })))).toBeCloseTo(Math.sqrt(2 / 18), 1);
    expect(std(draws((rng) => heNormal(16, 1, { rng })))).toBeCloseTo(Math.SQRT2 / 4, 1);
  });

  test('seeded draws reproduce bit for bit; aliases are the same functions', () => {
    expect(draws((rng) => glorotNormal(3, 5, { rng }), 10)).toEqual(draws((rng) => glorotNormal(3, 5, { rng }), 10));
    expect(xavierUniform).toBe(glorotUniform);
    expect(xavierNormal).toBe(glorotNormal);
  });

  test('bad fans or gains throw', () => {
    expect(() => glorotUniform(0, 3)).toThrow(/fanIn must be a positive integer/);
    expect(() => heNormal(3, 2.5)).toThrow(/fanOut must be a positive integer/);
    expect(() => glorotUniform(3, 3, { gain: -1 })).toThrow(/gain must be a non-negative finite number/);
  });
});
