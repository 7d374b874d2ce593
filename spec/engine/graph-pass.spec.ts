/**
 * lib/engine/graph.ts through the paths its callers take: grad() reading a finished pass (which
 * inputs it reached, and what arrived where), tensor elements taken as Values (scalar gradients
 * gathered into one tensor gradient), and non-finite gradients outside detectAnomaly.
 */
import { Value, fromValues, grad, tensor } from '../../lib';

const dataOf = (t: { data: unknown }) => Array.from(t.data as ArrayLike<number>);

describe('what grad() reads off a pass', () => {
  test('an input the pass never reached is unused: zero with allowUnused', () => {
    const x = new Value(2);
    const y = new Value(3);
    const [gx, gy] = grad(x.mul(5), [x, y], { allowUnused: true });
    expect([gx.data, gy.data]).toEqual([5, 0]);
  });

  test('a reached scalar input that no gradient arrived at gets zero, also under createGraph', () => {
    // abs at 0 sends nothing to its input.
    const x = new Value(0);
    const [numeric] = grad(x.abs(), [x]);
    const [graph] = grad(x.abs(), [x], { createGraph: true });
    expect([numeric.data, graph.data]).toEqual([0, 0]);
  });

  test("a tensor input's gradient object, in a numeric pass", () => {
    const t = tensor([1, 2], { requiresGrad: true });
    const [g] = grad(t.mul(t).sum(), [t]);
    expect(dataOf(g)).toEqual([2, 4]);
  });

  test("inside a hook: an input of the pass under way, whose slot is another node's in grad()'s pass, is unused", () => {
    const x = new Value(2);
    const y = x.mul(3); // x holds slot 0 of this pass
    const w = new Value(4);
    const seen: number[] = [];
    y.registerHook(() => {
      // grad()'s own pass puts w at its slot 0.
      const [gw, gx] = grad(w.add(1).mul(2), [w, x], { allowUnused: true });
      seen.push(gw.data, gx.data);
    });
    y.mul(2).backward();
    expect([seen, x.grad]).toEqual([[2, 0], 6]);
  });

  test("inside a hook: an input whose slot in the pass under way is at or past the end of grad()'s pass is unused", () => {
    // The pass under way: x, then 1029 links (the node at slot 1024 is `held`); grad()'s pass: exactly 1024 nodes.
    const x = new Value(1);
    let link: Value = x;
    let held: Value = x;
    for (let i = 1; i < 1030; i++) {
      link = link.mul(1);
      if (i === 1024) held = link;
    }
    const w = new Value(2);
    let inner: Value = w;
    for (let i = 1; i < 1024; i++) inner = inner.mul(1);
    const seen: number[] = [];
    link.registerHook(() => {
      const [gw, gh] = grad(inner, [w, held], { allowUnused: true });
      seen.push(gw.data, gh.data);
    });
    link.backward();
    expect([seen, x.grad]).toEqual([[1, 0], 1]);
  });
});

describe('tensor elements as Values', () => {
  test("each element's gradient goes to its place in the tensor's gradient, summed", () => {
    const t = tensor([1, 2, 3], { requiresGrad: true });
    const [a, , c] = t.toValues();
    // d/dt of a*c + a = [c + 1, 0, a].
    a.mul(c).add(a).backward();
    expect(dataOf(t.grad!)).toEqual([4, 0, 1]);
    // Twice more through one element, in one pass: a + a.
    t.zeroGrad();
    a.add(a).backward();
    expect(dataOf(t.grad!)).toEqual([2, 0, 0]);
  });
});

describe('Values gathered into a tensor', () => {
  test("each Value gets its element's gradient, as a number in a numeric pass", () => {
    const a = new Value(2);
    const b = new Value(-3);
    const t = fromValues([a, b, 4]);
    t.mul(t).sum().backward();
    expect([a.grad, b.grad]).toEqual([4, -6]);
  });
});

describe('non-finite gradients outside detectAnomaly are IEEE results, not errors', () => {
  test('a tensor op', () => {
    const x = tensor([0, 4], { requiresGrad: true });
    x.sqrt().sum().backward();
    expect(dataOf(x.grad!)).toEqual([Infinity, 0.25]);
  });

  test('a tensor element', () => {
    const t = tensor([0, 4], { requiresGrad: true });
    t.toValues()[0].sqrt().backward();
    expect(dataOf(t.grad!)).toEqual([Infinity, 0]);
  });
});
