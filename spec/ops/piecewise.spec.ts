import { Value } from '../../lib';
import { expectGradientsMatch } from '../helpers/finite-difference';

const awayFromKinks = [-2.5, -0.7, 0.3, 1.9];

function gradAt(x: number, op: (v: Value) => Value): number {
  const v = new Value(x);
  op(v).backward();
  return v.grad;
}

describe('piecewise ops match central differences away from their kinks', () => {
  test.each(awayFromKinks)('relu, leakyRelu, abs at %p', (a) => {
    expectGradientsMatch((x) => x.relu().mul(x), [a]);
    expectGradientsMatch((x) => x.leakyRelu(0.1).mul(x), [a]);
    expectGradientsMatch((x) => x.abs().mul(x), [a]);
  });

  test.each(awayFromKinks)('clamp(-1, 1) at %p', (a) => expectGradientsMatch((x) => x.clamp(-1, 1).mul(3), [a]));

  test.each([
    [1, 2],
    [2, 1],
    [-1.5, 0.5],
  ])('max and min at (%p, %p)', (a, b) => {
    expectGradientsMatch((x, y) => x.max(y), [a, b]);
    expectGradientsMatch((x, y) => x.min(y), [a, b]);
    expectGradientsMatch((x) => x.max(b), [a]);
  });
});

describe('conventions at the kinks (PyTorch)', () => {
  test('relu and abs have gradient 0 at 0', () => {
    expect(gradAt(0, (x) => x.relu())).toBe(0);
    expect(gradAt(0, (x) => x.abs())).toBe(0);
    expect(gradAt(-0, (x) => x.abs())).toBe(0);
  });

  test('leakyRelu uses the leak at 0 and defaults to slope 0.01', () => {
    expect(gradAt(0, (x) => x.leakyRelu(0.2))).toBe(0.2);
    expect(gradAt(-3, (x) => x.leakyRelu())).toBe(0.01);
    expect(new Value(-3).leakyRelu().data).toBe(-0.03);
  });

  test('clamp passes gradient on the closed interval only', () => {
    expect(gradAt(1, (x) => x.clamp(-1, 1))).toBe(1);
    expect(gradAt(-1, (x) => x.clamp(-1, 1))).toBe(1);
    expect(gradAt(1.5, (x) => x.clamp(-1, 1))).toBe(0);
    expect(gradAt(-7, (x) => x.clamp(-Infinity, 1))).toBe(1);
  });

  test('max and min split the gradient on a tie', () => {
    const a = new Value(2);
    const b = new Value(2);
    a.max(b).backward();
    expect([a.grad, b.grad]).toEqual([0.5, 0.5]);
    const c = new Value(2);
    c.min(2).backward();
    expect(c.grad).toBe(0.5);
  });
});

describe('bad arguments', () => {
  test('clamp with min > max or a non-number bound throws', () => {
    expect(() => new Value(1).clamp(2, 1)).toThrow(RangeError);
    expect(() => new Value(1).clamp('0' as unknown as number, 1)).toThrow(/clamp\(\): min must be a number/);
    expect(() => new Value(1).leakyRelu(NaN)).toThrow(TypeError);
  });

  test('max with a string operand throws a TypeError naming the op', () => {
    expect(() => new Value(1).max('2' as unknown as number)).toThrow(
      /max\(\): expected a Value or a number, got "2" \(a string\)/,
    );
  });
});

describe('IEEE arithmetic is kept for NaN inputs', () => {
  test('relu, clamp and max of NaN are NaN', () => {
    expect(new Value(NaN).relu().data).toBeNaN();
    expect(new Value(NaN).clamp(0, 1).data).toBeNaN();
    expect(new Value(NaN).max(1).data).toBeNaN();
  });
});
