/**
 * Every scalar op has a numeric rule (the fast path) and a rule written with ops (for
 * createGraph). They must give the same gradient to every parent, on both sides of every
 * kink, at ±0, and for any upstream gradient, including 0, ±Infinity and NaN.
 */
import { Value, grad } from '../../lib';
import type { GraphNode } from '../../lib/engine/node';

type Build = (xs: Value[]) => Value;

const KINKED: [string, Build, number[][]][] = [
  ['relu', ([x]) => x.relu(), [[-1], [-0], [0], [2]]],
  ['leakyRelu', ([x]) => x.leakyRelu(0.1), [[-1], [0], [2]]],
  ['leakyRelu slope 0', ([x]) => x.leakyRelu(0), [[-1], [0], [2]]],
  ['abs', ([x]) => x.abs(), [[-1], [-0], [0], [2]]],
  ['clamp', ([x]) => x.clamp(-1, 1), [[-2], [-1], [0.5], [1], [3]]],
  [
    'max',
    ([x, y]) => x.max(y),
    [
      [1, 2],
      [2, 1],
      [2, 2],
      [NaN, 1],
      [1, NaN],
    ],
  ],
  [
    'min',
    ([x, y]) => x.min(y),
    [
      [1, 2],
      [2, 1],
      [2, 2],
      [NaN, 1],
      [1, NaN],
    ],
  ],
  ['max with a constant', ([x]) => x.max(0), [[-1], [0], [1]]],
  ['pow, number exponent', ([x]) => x.pow(0), [[0], [2]]],
  ['pow, number exponent 3', ([x]) => x.pow(3), [[0], [-2], [2]]],
  [
    'pow, Value exponent',
    ([x, y]) => x.pow(y),
    [
      [0, 0],
      [0, 2],
      [2, 0],
      [2, 3],
      [0, -1],
    ],
  ],
  [
    'mul',
    ([x, y]) => x.mul(y),
    [
      [0, 3],
      [2, 3],
      [-0, 0],
    ],
  ],
  [
    'div',
    ([x, y]) => x.div(y),
    [
      [1, 2],
      [0, 2],
    ],
  ],
  ['add', ([x, y]) => x.add(y), [[1, 2]]],
  ['sub', ([x, y]) => x.sub(y), [[1, 2]]],
  ['neg', ([x]) => x.neg(), [[1]]],
  ['exp', ([x]) => x.exp(), [[0], [1]]],
  ['log', ([x]) => x.log(), [[1], [2]]],
  ['log1p', ([x]) => x.log1p(), [[0], [1]]],
  ['sqrt', ([x]) => x.sqrt(), [[4], [0]]],
  ['sin', ([x]) => x.sin(), [[0.3]]],
  ['cos', ([x]) => x.cos(), [[0.3]]],
  ['tanh', ([x]) => x.tanh(), [[0.3], [0]]],
  ['sigmoid', ([x]) => x.sigmoid(), [[0.3], [-40]]],
  ['softplus', ([x]) => x.softplus(), [[0.3], [-40]]],
  ['sum', (xs) => Value.sum([xs[0], 2, xs[1]]), [[1, 2]]],
  [
    'dot',
    (xs) => Value.dot([xs[0], 3], [xs[1], xs[0]], 1),
    [
      [0, 2],
      [2, 0],
    ],
  ],
];

const UPSTREAM = [1, -2.5, 0, -0, Infinity, -Infinity, NaN];

/** The gradient each parent receives from one node's numeric rule, and from its graph rule. */
function bothRules(node: Value, upstream: number): { numeric: Map<GraphNode, number>; graph: Map<GraphNode, number> } {
  const rule = node._rule!;
  const numeric = new Map<GraphNode, number>();
  rule.backward!(node, {
    grad: upstream,
    add: (parent, g) => numeric.set(parent, (numeric.get(parent) ?? 0) + g),
    addAt: () => undefined,
  });
  const graph = new Map<GraphNode, number>();
  rule.backwardGraph!(node, new Value(upstream, { requiresGrad: false }), {
    add: (parent, g) => graph.set(parent, (graph.get(parent) ?? 0) + (g as Value).data),
    addAt: () => undefined,
  });
  return { numeric, graph };
}

describe.each(KINKED)('%s: the numeric rule and the graph rule agree', (_, build, points) => {
  test.each(points.flatMap((p) => UPSTREAM.map((u) => [p, u] as const)))(
    'at %p with upstream gradient %p',
    (point, upstream) => {
      const xs = point.map((x) => new Value(x));
      const node = build(xs);
      const { numeric, graph } = bothRules(node, upstream);
      for (const x of xs) {
        const n = numeric.get(x) ?? 0;
        const g = graph.get(x) ?? 0;
        // Object.is: NaN equals NaN; +0 and -0 are both "no gradient" sums here, so compare as numbers then NaN-ness.
        expect([x.data, Number.isNaN(g) ? 'NaN' : g]).toEqual([x.data, Number.isNaN(n) ? 'NaN' : n]);
      }
    },
  );
});

describe('createGraph gives what backward gives (issue: NaN where plain backward gave 0)', () => {
  test('relu().sqrt() at x = -1: 0 through backward, backward(createGraph), grad(createGraph)', () => {
    const x = new Value(-1);
    x.relu().sqrt().backward();
    expect(x.grad).toBe(0);
    const y = new Value(-1);
    y.relu().sqrt().backward(1, { createGraph: true });
    expect(y.grad).toBe(0);
    const z = new Value(-1);
    const [dz] = grad(z.relu().sqrt(), [z], { createGraph: true });
    expect(dz.data).toBe(0);
  });

  test('masked rules give 0 at every order: d²/dx² of relu(x)^3 at -1, and pow(x, 0) at 0', () => {
    const x = new Value(-1);
    const [dx] = grad(x.relu().pow(3), [x], { createGraph: true });
    expect(dx.data).toBe(0);
    const [dxx] = grad(dx, [x], { allowUnused: true });
    expect(dxx.data).toBe(0);
    const z = new Value(0);
    const [dz] = grad(z.pow(0).mul(Infinity), [z], { createGraph: true, allowUnused: true });
    expect(dz.data).toBe(0);
  });

  test('clamp and max on the losing side with an infinite upstream gradient: 0, not NaN', () => {
    const x = new Value(5);
    x.clamp(0, 1).mul(Infinity).backward();
    expect(x.grad).toBe(0);
    const a = new Value(1);
    const b = new Value(2);
    a.max(b).mul(Infinity).backward(1, { createGraph: true });
    expect([a.grad, b.grad]).toEqual([0, Infinity]);
  });

  test('max/min with a NaN operand give the whole gradient to both (PyTorch 1.13: torch.maximum(nan, 2).backward() gives 1 and 1)', () => {
    const a = new Value(NaN);
    const b = new Value(2);
    a.max(b).backward();
    expect([a.grad, b.grad]).toEqual([1, 1]);
    const c = new Value(NaN);
    const d = new Value(2);
    c.min(d).backward();
    expect([c.grad, d.grad]).toEqual([1, 1]);
  });
});
