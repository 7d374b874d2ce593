/**
 * What each op records: a node that requires grad exactly when some operand does (a constant
 * Value or a plain number on either side never makes it so), the operands it keeps, and that
 * the gradient reaches the one operand that requires grad.
 */
import { Value } from '../../lib';

const constant = (x: number): Value => new Value(x, { requiresGrad: false });

type Binary = 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'max' | 'min';
// d/dx and d/dc of x op c at x = 3, c = 2.
const binary: [Binary, number, number][] = [
  ['add', 1, 1],
  ['sub', 1, -1],
  ['mul', 2, 3],
  ['div', 0.5, -0.75],
  ['pow', 6, 9 * Math.log(3)],
  ['max', 1, 0],
  ['min', 0, 1],
];

describe('binary ops record exactly when an operand requires grad', () => {
  test.each(binary)('%s', (op, dx, dc) => {
    expect(constant(3)[op](constant(2)).requiresGrad).toBe(false);
    expect(constant(3)[op](2).requiresGrad).toBe(false);
    expect(constant(3)[op](2).isLeaf).toBe(true);

    const x = new Value(3);
    const left = x[op](constant(2));
    expect([left.requiresGrad, left.op, left.parents.length]).toEqual([true, op, 2]);
    left.backward();
    expect(x.grad).toBe(dx);

    const c = new Value(2);
    const right = constant(3)[op](c);
    expect([right.requiresGrad, right.op]).toEqual([true, op]);
    right.backward();
    expect(c.grad).toBe(dc);

    const y = new Value(3);
    const withNumber = y[op](2);
    expect([withNumber.requiresGrad, withNumber.parents.length]).toEqual([true, 1]);
    withNumber.backward();
    expect(y.grad).toBe(dx);
  });
});

describe('unary ops record exactly when their operand requires grad', () => {
  const unary = [
    'neg',
    'relu',
    'abs',
    'exp',
    'log',
    'log1p',
    'sqrt',
    'sin',
    'cos',
    'tanh',
    'sigmoid',
    'softplus',
  ] as const;
  test.each(unary)('%s', (op) => {
    const c = constant(0.5)[op]();
    expect([c.requiresGrad, c.isLeaf, c.parents.length]).toEqual([false, true, 0]);
    const x = new Value(0.5);
    const y = x[op]();
    expect([y.requiresGrad, y.isLeaf, y.op, y.parents]).toEqual([true, false, op, [x]]);
  });

  test('leakyRelu and clamp', () => {
    expect(constant(-1).leakyRelu(0.1).requiresGrad).toBe(false);
    expect(constant(-1).clamp(0, 1).requiresGrad).toBe(false);
    const x = new Value(-1);
    const y = x.leakyRelu(0.1);
    expect([y.requiresGrad, y.op, y.parents]).toEqual([true, 'leakyRelu', [x]]);
    const z = x.clamp(-2, 2);
    expect([z.requiresGrad, z.op, z.parents]).toEqual([true, 'clamp', [x]]);
  });
});

describe('leakyRelu at 0', () => {
  test('keeps the sign PyTorch gives (x * slope: -0 for a negative slope) and passes slope * grad', () => {
    // torch.nn.functional.leaky_relu(torch.tensor(0.), -0.5) -> tensor(-0.)
    expect(Object.is(new Value(0).leakyRelu(-0.5).data, -0)).toBe(true);
    expect(Object.is(new Value(0).leakyRelu(0.5).data, 0)).toBe(true);
    const x = new Value(0);
    x.leakyRelu(0.25).backward();
    expect(x.grad).toBe(0.25);
  });
});

describe('Value.sum and Value.dot', () => {
  test('sum requires grad exactly when a term does, and keeps its own copy of the terms', () => {
    expect(Value.sum([constant(1), 2]).requiresGrad).toBe(false);
    expect(Value.sum([]).requiresGrad).toBe(false);
    const x = new Value(1);
    const y = new Value(2);
    const terms = [constant(5), x, 3];
    const s = Value.sum(terms);
    expect([s.data, s.requiresGrad]).toEqual([9, true]);
    terms[1] = y;
    terms.push(y);
    s.backward();
    expect([x.grad, y.grad, s.parents]).toEqual([1, 0, [terms[0], x]]);
    // From any iterable, in order.
    const fromSet = Value.sum(new Set([x, y]));
    expect([fromSet.data, fromSet.parents]).toEqual([3, [x, y]]);
  });

  test('dot requires grad exactly when a factor or the start does, wherever it is', () => {
    expect(Value.dot([constant(1)], [constant(2)], constant(3)).requiresGrad).toBe(false);
    expect(Value.dot([1, 2], [3, 4]).requiresGrad).toBe(false);
    const x = new Value(2);
    for (const d of [
      Value.dot([x], [3]),
      Value.dot([3], [x]),
      Value.dot([constant(1), 1], [2, x]),
      Value.dot([constant(1)], [2], x),
      Value.dot([x, constant(4)], [constant(5), constant(6)]),
    ]) {
      expect(d.requiresGrad).toBe(true);
    }
    // Empty: the start alone (0 by default), a constant unless the start requires grad.
    const empty = Value.dot([], []);
    expect([empty.data, empty.requiresGrad, empty.parents]).toEqual([0, false, []]);
    const start = new Value(5);
    const shifted = Value.dot([], [], start);
    expect([shifted.data, shifted.requiresGrad, shifted.parents]).toEqual([5, true, [start]]);
    const a = new Value(2);
    const b = new Value(3);
    const s = new Value(1);
    const d = Value.dot([a, 4], [5, b], s);
    expect(d.data).toBe(1 + 10 + 12);
    d.backward(2);
    expect([a.grad, b.grad, s.grad]).toEqual([10, 8, 2]);
  });
});
