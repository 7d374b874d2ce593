/** The backward pass (graph.ts): rules without a graph form, the grad mode rules and hooks see, constants. */
import { Value, detectAnomaly, isGradEnabled, noGrad } from '../../lib';
import { type BackwardRule, makeNode } from '../../lib/engine/record';

const NUMERIC_ONLY: BackwardRule<Value> = {
  name: 'numericOnly',
  backward: (node, sink) => sink.add(node._a!, sink.grad),
};

/** An op with only the numeric rule (identity), as a third-party rule might be written. */
const numericOnly = (x: Value): Value => makeNode(NUMERIC_ONLY, x.data, x, null, x.requiresGrad);

describe('a rule with no graph form', () => {
  test('serves first-order passes, and a createGraph pass refuses it by name, changing no .grad', () => {
    const x = new Value(3);
    numericOnly(x.mul(2)).mul(5).backward();
    expect(x.grad).toBe(10);
    const y = new Value(3);
    expect(() => numericOnly(y.mul(2)).backward(1, { createGraph: true })).toThrow(
      new Error(
        "createGraph: the op 'numericOnly' has no backward rule written with ops, so its gradient cannot be " +
          'differentiated again. Use first-order backward() for it, or give a customOp a backward written with ops.',
      ),
    );
    expect(y.grad).toBe(0);
  });
});

describe('grad mode during a pass', () => {
  test('a numeric pass runs hooks in the caller’s mode and leaves the mode as it found it', () => {
    const seen: boolean[] = [];
    const x = new Value(2);
    const h = x.mul(3);
    h.registerHook(() => {
      seen.push(isGradEnabled());
    });
    const z = h.mul(2);
    z.backward();
    noGrad(() => z.backward());
    expect(seen).toEqual([true, false]);
    expect(isGradEnabled()).toBe(true);
    expect(noGrad(() => (z.backward(), isGradEnabled()))).toBe(false);
    expect(x.grad).toBe(18);
  });

  test('a createGraph pass records even inside noGrad, and restores noGrad after', () => {
    const x = new Value(2);
    const y = x.mul(x);
    const after = noGrad(() => {
      y.backward(1, { createGraph: true });
      return isGradEnabled();
    });
    expect(after).toBe(false);
    expect([x.grad, x.gradValue!.requiresGrad]).toEqual([4, true]);
  });

  test('numeric rules written with ops record nothing (a scalar leaf hook sees a number)', () => {
    const x = new Value(2);
    const seen: unknown[] = [];
    x.registerHook((g) => {
      seen.push(g);
      return g * 10;
    });
    x.mul(3).backward();
    expect(seen).toEqual([3]);
    expect(x.grad).toBe(30);
  });
});

describe('constants in a pass', () => {
  test('detectAnomaly does not check gradients for operands that need none', () => {
    // The gradient for c would be 1 * Infinity, but c needs no grad, so it is never computed into a .grad.
    const x = new Value(Infinity);
    const c = new Value(2, { requiresGrad: false });
    const y = detectAnomaly(() => x.mul(c));
    detectAnomaly(() => y.backward());
    expect([x.grad, c.grad]).toEqual([2, 0]);
  });

  test('a leaf reached twice gets both contributions; an operand needing no grad gets none', () => {
    const x = new Value(2);
    const c = new Value(5, { requiresGrad: false });
    const y = x.mul(c).add(x.mul(x)).add(c);
    y.backward();
    expect([x.grad, c.grad]).toEqual([5 + 4, 0]);
  });
});
