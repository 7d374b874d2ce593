/**
 * Each op's numeric rule (plain backward) and its graph rule (createGraph) give the same
 * gradient on both sides of every kink, at the kinks, at ±0, and for upstream gradients of
 * ±0, ±Infinity and NaN.
 */
import { Value, grad } from '../../lib';

/**
 * Fault 1 of issue 11: with a non-finite upstream gradient, relu, pow, clamp, max and min give
 * NaN under createGraph where the numeric rule gives an exact 0. Flip with the fix.
 */
const FAULT_1_FIXED = true;
const FAULT_1_OPS = new Set(['relu', 'pow', 'powc']);

const UPSTREAM = [1, -2.5, 0, -0, Infinity, -Infinity, NaN];

type Case = [name: string, points: number[][], f: (...xs: Value[]) => Value];
const around = (k: number) => [k - 1, k - 1e-9, k, k + 1e-9, k + 1];
const single = (...ks: number[]) => [...new Set(ks.flatMap(around).concat([0, -0]))].map((x) => [x]);
const pairs = (xs: number[]) => xs.flatMap((a) => xs.map((b) => [a, b]));

const CASES: Case[] = [
  ['relu', single(0), (x) => x.relu()],
  ['leakyRelu', single(0), (x) => x.leakyRelu(0.1)],
  ['abs', single(0), (x) => x.abs()],
  ['clamp', single(-1, 2), (x) => x.clamp(-1, 2)],
  ['maxc', single(0.5), (x) => x.max(0.5)],
  ['minc', single(0.5), (x) => x.min(0.5)],
  ['max', pairs([-1, 0, -0, 0.5, 2]), (x, y) => x.max(y)],
  ['min', pairs([-1, 0, -0, 0.5, 2]), (x, y) => x.min(y)],
  ['powc', single(0), (x) => x.pow(2)],
  ['powc', single(0), (x) => x.pow(0)],
  ['powc', single(0).filter(([x]) => x >= 0), (x) => x.pow(0.5)],
  ['pow', pairs([0, 0.5, 2]), (x, y) => x.pow(y)],
  ['add', pairs([-1, 0, 2]), (x, y) => x.add(y)],
  ['sub', pairs([-1, 0, 2]), (x, y) => x.sub(y)],
  ['mul', pairs([-1, 0, -0, 2]), (x, y) => x.mul(y)],
  ['div', pairs([-1, 0.5, 2]), (x, y) => x.div(y)],
  ['neg', single(0), (x) => x.neg()],
  ['exp', single(0), (x) => x.exp()],
  ['log', [[0.5], [1], [2], [0]], (x) => x.log()],
  ['sqrt', [[0.5], [1], [0]], (x) => x.sqrt()],
  ['sin', single(0), (x) => x.sin()],
  ['cos', single(0), (x) => x.cos()],
  ['tanh', single(0), (x) => x.tanh()],
  ['sigmoid', single(0), (x) => x.sigmoid()],
  ['softplus', single(0), (x) => x.softplus()],
];

/** Equal as gradients: both NaN, or equal numbers (the sign of a zero aside). */
function same(a: number, b: number): boolean {
  return Number.isNaN(a) ? Number.isNaN(b) : a === b || Math.abs(a - b) <= 1e-15 * Math.abs(a);
}

function numeric(f: Case[2], point: number[], upstream: number): number[] {
  const xs = point.map((x) => new Value(x));
  f(...xs).backward(upstream);
  return xs.map((x) => x.grad);
}

function graph(f: Case[2], point: number[], upstream: number): number[] {
  const xs = point.map((x) => new Value(x));
  return grad(f(...xs), xs, { createGraph: true, gradOutput: upstream, allowUnused: true }).map((g) => g.data);
}

describe.each(CASES)('%s: the numeric and the graph rule agree', (name, points, f) => {
  test.each(UPSTREAM)('for an upstream gradient of %p at every point', (upstream) => {
    const gated = !FAULT_1_FIXED && FAULT_1_OPS.has(name) && !Number.isFinite(upstream);
    const mismatches: string[] = [];
    for (const point of points) {
      const n = numeric(f, point, upstream);
      const g = graph(f, point, upstream);
      if (!n.every((v, i) => same(v, g[i])))
        mismatches.push(`at [${point.map(String).join(', ')}]: numeric [${n.join(', ')}], graph [${g.join(', ')}]`);
    }
    if (gated) return; // Known to differ until fault 1 is fixed (see FAULT_1_FIXED).
    expect(mismatches).toEqual([]);
  });
});

/** Points on the masked side of each piecewise op, where PyTorch's `where` gives exactly 0. */
const MASKED: [string, number[], (...xs: Value[]) => Value, number][] = [
  ['relu at -1', [-1], (x) => x.relu(), 0],
  ['relu at 0', [0], (x) => x.relu(), 0],
  ['clamp below', [-3], (x) => x.clamp(-1, 2), 0],
  ['clamp above', [3], (x) => x.clamp(-1, 2), 0],
  ['max, the losing side', [1, 2], (x, y) => x.max(y), 0],
  ['min, the losing side', [2, 1], (x, y) => x.min(y), 0],
  ['pow with exponent 0', [3], (x) => x.pow(0), 0],
];

(FAULT_1_FIXED ? describe : describe.skip)(
  'masked rules give exactly 0 on the masked side, for every upstream gradient, at every order',
  () => {
    test.each(MASKED)('%s', (_, point, f, index) => {
      for (const upstream of UPSTREAM) {
        expect({ upstream, numeric: numeric(f, point, upstream)[index] + 0 }).toEqual({ upstream, numeric: 0 });
        expect({ upstream, graph: graph(f, point, upstream)[index] + 0 }).toEqual({ upstream, graph: 0 });
      }
    });
  },
);
