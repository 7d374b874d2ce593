import { Value, noGrad, stopGradient, tensor } from '../../lib';
import { makeNode } from '../../lib/engine/record';
import { constantOperands, localDerivatives, noGradReason, wasDetachedInPlace } from '../../lib/engine/provenance';

describe('provenance', () => {
  test('noGradReason names why a node needs no grad', () => {
    const x = new Value(2);
    const detached = x.mul(2).detach_();
    expect(noGradReason(x)).toBeNull();
    expect(noGradReason(detached)).toBe('detached-in-place');
    expect(noGradReason(x.detach())).toBe('stop-gradient');
    expect(noGradReason(stopGradient(1))).toBe('stop-gradient');
    expect(noGradReason(new Value(1).requiresGrad_(false))).toBe('frozen');
    expect(noGradReason(noGrad(() => x.mul(2)))).toBe('no-grad');
    expect(noGradReason(new Value(1, { requiresGrad: false }))).toBe('constant');
    expect(noGradReason(new Value(1, { requiresGrad: false }).mul(2))).toBe('from-constants');
    expect(noGradReason(noGrad(() => new Value(1, { requiresGrad: false }).mul(2)))).toBe('from-constants');
  });

  test('a detached node stays marked even when unfrozen later', () => {
    const y = new Value(2).mul(3).detach_();
    y.requiresGrad_(true);
    expect([wasDetachedInPlace(y), noGradReason(y)]).toEqual([true, null]);
  });

  test('constantOperands and localDerivatives', () => {
    const x = new Value(-1);
    const y = x.mul(3);
    expect(constantOperands(y)).toEqual([3]);
    expect(constantOperands(x)).toEqual([]);
    expect(constantOperands(Value.sum([1, x, 2]))).toEqual([1, 2]);
    expect(constantOperands(y)).toEqual([3]);
    expect(localDerivatives(y)).toEqual([{ parent: x, derivative: 3, index: 0 }]);
    const r = x.relu();
    expect(localDerivatives(r)).toEqual([{ parent: x, derivative: 0, index: 0 }]);
    expect(localDerivatives(x.mul(x)).map((e) => e.derivative)).toEqual([-1, -1]);
    expect(localDerivatives(x)).toEqual([]);
  });
});

describe('provenance at the edges', () => {
  test('constantOperands of a leaf tensor is empty', () => {
    expect(constantOperands(tensor([1, 2], { requiresGrad: true }))).toEqual([]);
    expect(constantOperands(new Value(1).mul(2).detach_())).toEqual([]);
  });

  test('localDerivatives lists only operands that require grad, each with its own derivative', () => {
    const x = new Value(5);
    const c = new Value(3, { requiresGrad: false });
    // mul sends to c first (it needs no grad): x's derivative is c's data, 3, not x's.
    expect(localDerivatives(c.mul(x))).toEqual([{ parent: x, derivative: 3, index: 1 }]);
    expect(localDerivatives(x.mul(c))).toEqual([{ parent: x, derivative: 3, index: 0 }]);
  });

  test('localDerivatives of a node whose rule has no numeric form is empty', () => {
    const x = new Value(2);
    const y = makeNode({ name: 'graphOnly', backwardGraph: () => undefined }, 2, x, null, true);
    expect(localDerivatives(y)).toEqual([]);
  });
});

describe('provenance of tensors and n-ary ops', () => {
  test('constantOperands of a tensor op with a number operand is that number; with none, it is empty', () => {
    const t = tensor([1, 2], { requiresGrad: true });
    expect([constantOperands(t.mul(2)), constantOperands(t.add(3)), constantOperands(t.mul(t))]).toEqual([
      [2],
      [3],
      [],
    ]);
  });

  test('localDerivatives of an n-ary op: an edge per Value operand, at its own index, numbers skipped', () => {
    const x = new Value(2);
    const y = new Value(3);
    expect(localDerivatives(Value.sum([x, 2, y]))).toEqual([
      { parent: x, derivative: 1, index: 0 },
      { parent: y, derivative: 1, index: 2 },
    ]);
  });
});
