import { Value, explainGrad, noGrad, stopGradient } from '../../lib';

describe('explainGrad', () => {
  test('names the node detached in place', () => {
    const x = new Value(3, { label: 'x' });
    const h = x.mul(2);
    h.label = 'h';
    const y = h.add(1);
    h.detach_();
    const e = explainGrad(y, x);
    expect(e).toMatchObject({ verdict: 'cut', cause: 'detached-in-place', gradient: null });
    expect(e.node).toBe(h);
    expect(e.message).toMatch(/cut at 'h', which was detached in place with detach_\(\)/);
  });

  test('names the value created under noGrad', () => {
    const x = new Value(3, { label: 'x' });
    const frozenFeature = noGrad(() => x.mul(2));
    const y = frozenFeature.mul(new Value(1)).add(5);
    const e = explainGrad(y, x);
    expect(e).toMatchObject({ verdict: 'cut', cause: 'no-grad' });
    expect(e.node).toBe(frozenFeature);
    expect(e.message).toMatch(/computed under noGrad\(\)/);
  });

  test('names the stopGradient copy, or the op computed only from it', () => {
    const x = new Value(3, { label: 'x' });
    const other = new Value(1);
    const copy = stopGradient(x);
    const e = explainGrad(copy.add(other), x);
    expect(e).toMatchObject({ verdict: 'cut', cause: 'stop-gradient' });
    expect(e.node).toBe(copy);
    const scaled = copy.mul(4); // no input requires grad: no graph is kept
    const f = explainGrad(scaled.add(other), x);
    expect(f).toMatchObject({ verdict: 'cut', cause: 'from-constants' });
    expect(f.node).toBe(scaled);
    const g = explainGrad(scaled, x);
    expect(g).toMatchObject({ verdict: 'cut', cause: 'from-constants', node: scaled });
    expect(g.message).toMatch(/the output itself needs no grad/);
  });

  test('names a frozen input leaf', () => {
    const w = new Value(0.5, { label: 'w' }).requiresGrad_(false);
    const x = new Value(2);
    const e = explainGrad(w.mul(x), w);
    expect(e).toMatchObject({ verdict: 'cut', cause: 'frozen' });
    expect(e.node).toBe(w);
    expect(e.message).toMatch(/'w'.*frozen leaf.*Unfreeze it with requiresGrad_\(\)/);
  });

  test('says when the output never used the input', () => {
    const e = explainGrad(new Value(1).mul(2), new Value(5));
    expect(e).toMatchObject({ verdict: 'cut', cause: 'unused', node: null });
    expect(e.message).toMatch(/not computed from it/);
  });

  test('a relu below 0 on the path: names that relu node', () => {
    const x = new Value(-1.5, { label: 'x' });
    const r = x.mul(2).relu();
    r.label = 'r';
    const e = explainGrad(r.add(3), x);
    expect(e).toMatchObject({ verdict: 'zero', gradient: 0 });
    expect(e.node).toBe(r);
    expect(e.zeroEdges).toHaveLength(1);
    expect(e.zeroEdges[0].reason).toMatch(/a relu at -3 \(<= 0\)/);
    expect(e.message).toMatch(/'r': a relu at -3/);
  });

  test('abs at 0, clamp at a boundary and a multiply by 0 are named', () => {
    const x = new Value(0, { label: 'x' });
    const a = x.abs();
    expect(explainGrad(a, x).node).toBe(a);
    const z = new Value(5, { label: 'z' });
    const c = z.clamp(-1, 1);
    expect(explainGrad(c, z).zeroEdges[0]).toMatchObject({
      node: c,
      parent: z,
      reason: 'a clamp at 5, outside its bounds',
    });
    const m = new Value(2, { label: 'm' });
    const product = m.mul(0);
    expect(explainGrad(product, m)).toMatchObject({ verdict: 'zero', node: product });
    expect(explainGrad(product, m).zeroEdges[0].reason).toMatch(/multiply by 0/);
  });

  test('cancelling paths are reported as such', () => {
    const x = new Value(2);
    expect(explainGrad(x.sub(x), x)).toMatchObject({ verdict: 'zero', node: null, zeroEdges: [] });
    expect(explainGrad(x.sub(x), x).message).toMatch(/cancel out/);
  });

  test('a flowing gradient is reported with its value, and nothing is changed', () => {
    const x = new Value(3, { label: 'x' });
    const y = x.mul(x);
    expect(explainGrad(y, x)).toMatchObject({ verdict: 'flows', gradient: 6 });
    expect(explainGrad(y, x).message).toBe("Gradient flows: d output / d 'x' = 6.");
    expect([x.grad, y.grad]).toEqual([0, 0]);
    expect(explainGrad(x, x)).toMatchObject({ verdict: 'same', gradient: 1 });
  });

  test('bad arguments', () => {
    expect(() => explainGrad(3 as unknown as Value, new Value(1))).toThrow(/output must be a Value/);
    expect(() => explainGrad(new Value(1), undefined as unknown as Value)).toThrow(
      /input must be a Value or a Tensor, got undefined/,
    );
  });
});
