/** lib/engine/record.ts: what a tensor op's result records in each mode, and the bad-operand message. */
import { Value, detectAnomaly, noGrad, tensor } from '../../lib';
import { noGradReason } from '../../lib/engine/provenance';

describe('record (tensor results)', () => {
  test('a result of constants, or of inputs that need grad under noGrad, says why it needs no grad', () => {
    const c = tensor([1, 2]);
    const x = tensor([1, 2], { requiresGrad: true });
    const fromConstants = c.mul(2);
    const underNoGrad = noGrad(() => x.mul(2));
    expect([noGradReason(fromConstants), noGradReason(underNoGrad), noGradReason(x.mul(2))]).toEqual([
      'from-constants',
      'no-grad',
      null,
    ]);
    expect([fromConstants.isLeaf, underNoGrad.isLeaf, underNoGrad.requiresGrad]).toEqual([true, true, false]);
  });

  test('a result made under noGrad is a leaf outside any pass: it can be unfrozen and differentiated', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = noGrad(() => x.mul(2));
    y.requiresGrad_(true);
    y.mul(y).sum().backward();
    expect([Array.from(y.grad!.data as ArrayLike<number>), x.grad]).toEqual([[4, 8], null]);
  });

  test('a result made outside detectAnomaly has no recorded place', () => {
    const x = tensor([0, 4], { requiresGrad: true });
    const r = x.sqrt();
    expect(() => detectAnomaly(() => r.sum().backward())).toThrow(
      new Error(
        "detectAnomaly: the backward rule of 'sqrt' produced a non-finite gradient for one of its inputs from a finite gradient. " +
          "The 'sqrt' node was created at (created outside detectAnomaly, so its place is unknown). " +
          'Look for a division by zero, log or sqrt of 0 or of a negative number, or an overflow there.',
      ),
    );
  });
});

describe('badOperand', () => {
  test('names the op, what it got, and the fix, word for word', () => {
    expect(() => new Value(1).add('2' as never)).toThrow(
      new TypeError(
        'add(): expected a Value or a number, got "2" (a string). ' +
          'Strings are not converted: pass Number(s), or wrap data with new Value(x) or tensor(x).',
      ),
    );
  });
});
