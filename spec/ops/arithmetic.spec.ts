import fc from 'fast-check';
import { Value } from '../../lib';
import { expectGradientsMatch } from '../helpers/finite-difference';

const points = [-2.5, -1, -0.3, 0.4, 1, 3.7];
const pairs = points.flatMap((a) => points.map((b) => [a, b]));
const finite = fc.double({ min: -10, max: 10, noNaN: true });
const awayFromZero = fc.oneof(
  fc.double({ min: -10, max: -0.1, noNaN: true }),
  fc.double({ min: 0.1, max: 10, noNaN: true }),
);

describe('binary arithmetic matches central differences', () => {
  test.each(pairs)('add, sub, mul at (%p, %p), Value and number operands', (a, b) => {
    expectGradientsMatch((x, y) => x.add(y), [a, b]);
    expectGradientsMatch((x, y) => x.sub(y), [a, b]);
    expectGradientsMatch((x, y) => x.mul(y), [a, b]);
    expectGradientsMatch((x) => x.add(b).mul(b).sub(b), [a]);
  });

  test.each(pairs)('div at (%p, %p)', (a, b) => {
    expectGradientsMatch((x, y) => x.div(y), [a, b]);
    expectGradientsMatch((x) => x.div(b), [a]);
  });

  test('property: mul and div gradients hold at random points', () => {
    fc.assert(
      fc.property(finite, awayFromZero, (a, b) => {
        expectGradientsMatch((x, y) => x.mul(y).div(y.add(b >= 0 ? 20 : -20)), [a, b], 1e-4);
      }),
    );
  });
});

describe('neg and pow', () => {
  test.each(points)('neg at %p', (a) => expectGradientsMatch((x) => x.neg().mul(x), [a]));

  test.each([
    [1.5, 2],
    [0.7, 3],
    [2, -1],
    [2.5, 0.5],
    [-1.5, 3],
  ])('pow with a number exponent at %p ** %p', (a, e) => expectGradientsMatch((x) => x.pow(e), [a]));

  test.each([
    [1.5, 2],
    [0.7, -1.3],
    [2.5, 0.5],
  ])('pow with a Value exponent at %p ** %p (both gradients)', (a, e) =>
    expectGradientsMatch((x, y) => x.pow(y), [a, e]),
  );

  test('pow at a zero base and zero exponent has gradient 0, not NaN (PyTorch)', () => {
    const x = new Value(0);
    x.pow(0).backward();
    expect(x.grad).toBe(0);
    const base = new Value(0);
    const exponent = new Value(2);
    base.pow(exponent).backward();
    expect(exponent.grad).toBe(0);
    expect(base.grad).toBe(0);
  });

  test("pow's numeric rule multiplies as its graph rule and PyTorch do: grad * (e * x^(e-1)), grad * (x^e * ln x)", () => {
    // x = 0, e = 0.5, seed -5e-324: (seed * e) underflows to -0 and -0 * Infinity is NaN, while
    // seed * (e * 0^-0.5) = -5e-324 * Infinity = -Infinity (PyTorch: pow_backward computes
    // grad * (exponent * self.pow(exponent - 1))).
    const paths = (x: number, e: number | 'value', seed: number): number[][] =>
      [false, true].map((createGraph) => {
        const base = new Value(x);
        const exponent = new Value(0.7);
        base.pow(e === 'value' ? exponent : e).backward(seed, { createGraph });
        return e === 'value' ? [base.grad, exponent.grad] : [base.grad];
      });
    expect(paths(0, 0.5, -5e-324)).toEqual([[-Infinity], [-Infinity]]);
    // In the normal range the two groupings differ in the last bit; both paths must agree exactly.
    const [numeric, graph] = paths(1.027027027027027, 'value', 3);
    expect(numeric).toEqual(graph);
    expect(numeric[1]).toBe(3 * (1.027027027027027 ** 0.7 * Math.log(1.027027027027027)));
    expect(paths(0.02702702702702703, 1.7, 3)[0]).toEqual([3 * (1.7 * 0.02702702702702703 ** 0.7)]);
  });

  test('pow of x by x follows d/dx x^x = x^x (ln x + 1)', () => {
    const x = new Value(2);
    x.pow(x).backward();
    expect(x.grad).toBeCloseTo(4 * (Math.log(2) + 1), 12);
  });
});

describe('exact small cases', () => {
  test('the same operand twice gets both contributions', () => {
    const x = new Value(3);
    x.mul(x).backward();
    expect(x.grad).toBe(6);
    const y = new Value(3);
    y.add(y).backward();
    expect(y.grad).toBe(2);
  });

  test('constants are not Values and receive no gradient', () => {
    const x = new Value(2);
    const y = x.mul(5);
    expect(y.parents).toEqual([x]);
    y.backward();
    expect(x.grad).toBe(5);
  });
});
