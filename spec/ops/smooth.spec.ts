import fc from 'fast-check';
import { Value } from '../../lib';
import { expectGradientsMatch } from '../helpers/finite-difference';

type UnaryOp = (x: Value) => Value;
const everywhere = [-3.2, -1, -0.25, 0, 0.5, 2.7];
const positive = [0.05, 0.5, 1, 2.7, 40];

const ops: [string, UnaryOp, number[]][] = [
  ['exp', (x) => x.exp(), everywhere],
  ['log', (x) => x.log(), positive],
  ['log1p', (x) => x.log1p(), [-0.9, -0.3, 0, 0.5, 7]],
  ['sqrt', (x) => x.sqrt(), positive],
  ['sin', (x) => x.sin(), everywhere],
  ['cos', (x) => x.cos(), everywhere],
  ['tanh', (x) => x.tanh(), everywhere],
  ['sigmoid', (x) => x.sigmoid(), [...everywhere, -30, 30]],
  ['softplus', (x) => x.softplus(), [...everywhere, -30, 30]],
];

describe.each(ops)('%s', (name, op, at) => {
  test.each(at)(`gradient of ${name} matches central differences at %p`, (a) => expectGradientsMatch(op, [a]));

  test(`gradient of ${name} composed with other ops matches at random points`, () => {
    const lo = at[0];
    const hi = at[at.length - 1];
    fc.assert(
      fc.property(fc.double({ min: lo, max: hi, noNaN: true }), (a) =>
        expectGradientsMatch((x) => op(x).mul(x.mul(0.5).add(1)), [a], 1e-4),
      ),
      { numRuns: 50 },
    );
  });
});

describe('forward values', () => {
  test('follow Math', () => {
    expect(new Value(1.5).exp().data).toBe(Math.exp(1.5));
    expect(new Value(1.5).tanh().data).toBe(Math.tanh(1.5));
    expect(new Value(0).sigmoid().data).toBe(0.5);
    expect(new Value(0).softplus().data).toBe(Math.log(2));
  });

  test('sigmoid and softplus do not overflow for large inputs', () => {
    expect(new Value(-1000).sigmoid().data).toBe(0);
    expect(new Value(1000).sigmoid().data).toBe(1);
    expect(new Value(1000).softplus().data).toBe(1000);
    expect(new Value(-1000).softplus().data).toBe(0);
  });

  test('exact gradient of tanh and sigmoid at 0', () => {
    const x = new Value(0);
    x.tanh().backward();
    expect(x.grad).toBe(1);
    const y = new Value(0);
    y.sigmoid().backward();
    expect(y.grad).toBe(0.25);
  });
});
