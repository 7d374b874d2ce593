import { Value, clipGradNorm_, clipGradValue_ } from '../../lib';

function withGrads(grads: number[]): Value[] {
  return grads.map((g) => {
    const v = new Value(0);
    v.grad = g;
    return v;
  });
}

describe('clipGradNorm_', () => {
  test('[3, 4] with maxNorm 1: returns 5 and scales by 1 / (5 + 1e-6), as PyTorch', () => {
    const params = withGrads([3, 4]);
    expect(clipGradNorm_(params, 1)).toBe(5);
    expect(params.map((p) => p.grad)).toEqual([0.599999880000024, 0.799999840000032]);
  });

  test('leaves gradients under the limit unchanged', () => {
    const params = withGrads([0.3, 0.4]);
    expect(clipGradNorm_(params, 1)).toBeCloseTo(0.5, 15);
    expect(params.map((p) => p.grad)).toEqual([0.3, 0.4]);
  });

  test('the infinity norm is the largest |g|; other p-norms work', () => {
    const params = withGrads([3, -4]);
    expect(clipGradNorm_(params, 2, Infinity)).toBe(4);
    expect(params[1].grad).toBeCloseTo(-2, 6);
    expect(clipGradNorm_(withGrads([1, 1]), 10, 1)).toBe(2);
  });

  test('frozen parameters do not count and are not changed', () => {
    const params = withGrads([3, 4, 100]);
    params[2].requiresGrad_(false);
    expect(clipGradNorm_(params, 1)).toBe(5);
    expect(params[2].grad).toBe(100);
  });

  test('a non-finite norm is reported, not spread; errorIfNonfinite throws', () => {
    const params = withGrads([3, NaN]);
    expect(clipGradNorm_(params, 1)).toBeNaN();
    expect(params[0].grad).toBe(3);
    const infinite = withGrads([Infinity, 1]);
    expect(clipGradNorm_(infinite, 1)).toBe(Infinity);
    expect(infinite[1].grad).toBe(1);
    expect(() => clipGradNorm_(withGrads([NaN]), 1, 2, { errorIfNonfinite: true })).toThrow(
      /norm of the gradients is NaN; gradients were left unchanged/,
    );
  });

  test('bad arguments', () => {
    expect(() => clipGradNorm_(withGrads([1]), -1)).toThrow(/maxNorm must be a number >= 0/);
    expect(() => clipGradNorm_(withGrads([1]), 1, 0)).toThrow(/normType/);
    expect(() => clipGradNorm_(3 as unknown as Value[], 1)).toThrow(/iterable of Values/);
  });
});

describe('clipGradValue_', () => {
  test('clamps each gradient; NaN stays NaN', () => {
    const params = withGrads([3, 4, -7, 0.1, NaN]);
    clipGradValue_(params, 0.5);
    expect(params.map((p) => p.grad)).toEqual([0.5, 0.5, -0.5, 0.1, NaN]);
    expect(() => clipGradValue_(params, -1)).toThrow(/clipValue must be a number >= 0/);
  });
});
