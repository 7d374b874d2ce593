/**
 * Each op's `whyZero` (what explainGrad says about an edge whose local derivative is 0), case by
 * case: the words where the derivative is 0, and null where it is not.
 */
import { Value } from '../../lib';
import { zeroReasonOf } from '../../lib/engine/provenance';

const v = (x: number): Value => new Value(x);

describe('whyZero of each op', () => {
  test('mul names a zero factor, on each side and with a constant', () => {
    const reason = 'a multiply by 0 (the other factor is 0)';
    expect([zeroReasonOf(v(2).mul(v(0)), 0), zeroReasonOf(v(2).mul(v(0)), 1)]).toEqual([reason, null]);
    expect([zeroReasonOf(v(0).mul(v(2)), 0), zeroReasonOf(v(0).mul(v(2)), 1)]).toEqual([null, reason]);
    expect([zeroReasonOf(v(3).mul(0), 0), zeroReasonOf(v(3).mul(5), 0)]).toEqual([reason, null]);
  });

  test('relu: null above 0, the input printed at and below 0', () => {
    expect(zeroReasonOf(v(0.5).relu(), 0)).toBeNull();
    expect(zeroReasonOf(v(0).relu(), 0)).toBe('a relu at 0 (<= 0) passes no gradient');
    expect(zeroReasonOf(v(-1.25).relu(), 0)).toBe('a relu at -1.25 (<= 0) passes no gradient');
  });

  test('leakyRelu: only a zero slope below or at 0 kills the gradient', () => {
    expect(zeroReasonOf(v(-2).leakyRelu(0), 0)).toBe('a leakyRelu with slope 0 at -2');
    expect(zeroReasonOf(v(0).leakyRelu(0), 0)).toBe('a leakyRelu with slope 0 at 0');
    expect(zeroReasonOf(v(-2).leakyRelu(0.1), 0)).toBeNull();
    expect(zeroReasonOf(v(2).leakyRelu(0), 0)).toBeNull();
  });

  test('abs: only exactly at 0', () => {
    expect(zeroReasonOf(v(0).abs(), 0)).toBe('abs at exactly 0 has gradient 0');
    expect(zeroReasonOf(v(-1).abs(), 0)).toBeNull();
    expect(zeroReasonOf(v(1).abs(), 0)).toBeNull();
  });

  test('clamp: outside the bounds only (the closed interval passes)', () => {
    expect(zeroReasonOf(v(-3).clamp(-1, 1), 0)).toBe('a clamp at -3, outside its bounds');
    expect(zeroReasonOf(v(1).clamp(-1, 1), 0)).toBeNull();
    expect(zeroReasonOf(v(0.5).clamp(-1, 1), 0)).toBeNull();
  });

  test('max and min: the losing operand is named, a tie or NaN is not', () => {
    expect([zeroReasonOf(v(1).max(v(2)), 0), zeroReasonOf(v(1).max(v(2)), 1)]).toEqual([
      'the other operand of max won',
      null,
    ]);
    expect([zeroReasonOf(v(3).max(2), 0), zeroReasonOf(v(3).max(2), 1)]).toEqual([
      null,
      'the other operand of max won',
    ]);
    expect([zeroReasonOf(v(1).min(v(2)), 0), zeroReasonOf(v(1).min(v(2)), 1)]).toEqual([
      null,
      'the other operand of min won',
    ]);
    expect([zeroReasonOf(v(2).max(v(2)), 0), zeroReasonOf(v(2).max(v(2)), 1)]).toEqual([null, null]);
    expect([zeroReasonOf(v(NaN).min(v(2)), 0), zeroReasonOf(v(NaN).min(v(2)), 1)]).toEqual([null, null]);
  });

  test('dot: the start never, a term whose partner is 0 always', () => {
    const reason = 'a multiply by 0 (the other factor is 0)';
    const d = Value.dot([v(0), v(3)], [v(5), 0], v(1));
    // _args: [start, a0, b0, a1, b1] = [1, 0, 5, 3, 0]
    expect([0, 1, 2, 3, 4].map((i) => zeroReasonOf(d, i))).toEqual([null, null, reason, reason, null]);
  });

  test('ops that never name a zero say nothing', () => {
    expect(zeroReasonOf(v(0).add(v(0)), 0)).toBeNull();
    expect(zeroReasonOf(v(0).sin(), 0)).toBeNull();
    expect(zeroReasonOf(v(1), 0)).toBeNull();
  });
});
