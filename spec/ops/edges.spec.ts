/** Ops at the edges the mutation run found untested: signed zeros at clamp's bounds, infinite max/min operands, sigmoid's two forms. */
import { Value } from '../../lib';

describe('clamp at a zero bound keeps the sign of its input (PyTorch: min(max(x, lo), hi))', () => {
  test('-0 clamped to [0, 1] stays -0; 0 clamped to [-1, -0] stays 0', () => {
    // torch.clamp(torch.tensor(-0.), 0, 1) -> tensor(-0.); torch.clamp(torch.tensor(0.), -1, -0.) -> tensor(0.)
    expect(Object.is(new Value(-0).clamp(0, 1).data, -0)).toBe(true);
    expect(Object.is(new Value(0).clamp(-1, -0).data, 0)).toBe(true);
  });
});

describe('max and min with an infinite operand', () => {
  test('the losing infinity gets no gradient, the winner all of it', () => {
    const x = new Value(-Infinity);
    const y = new Value(1);
    x.max(y).backward();
    expect([x.grad, y.grad]).toEqual([0, 1]);
    const a = new Value(Infinity);
    const b = new Value(1);
    a.min(b).backward();
    expect([a.grad, b.grad]).toEqual([0, 1]);
  });
});

describe('sigmoid', () => {
  test('below 0 it is e^x / (1 + e^x), the form that cannot overflow (not 1 / (1 + e^-x), one bit off at -0.2)', () => {
    expect(new Value(-0.2).sigmoid().data).toBe(Math.exp(-0.2) / (1 + Math.exp(-0.2)));
    expect(new Value(-0.2).sigmoid().data).not.toBe(1 / (1 + Math.exp(0.2)));
    expect(new Value(0.2).sigmoid().data).toBe(1 / (1 + Math.exp(-0.2)));
    expect(new Value(0).sigmoid().data).toBe(0.5);
  });
});
