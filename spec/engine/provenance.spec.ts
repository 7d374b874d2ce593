import { Value, noGrad, stopGradient } from '../../lib';
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
