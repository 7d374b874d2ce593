import { Value, customOp, grad, gradcheck, gradientReversal, noGrad, straightThrough } from '../../lib';

const cube = customOp({
  name: 'cube',
  forward: (x) => x ** 3,
  backward: ({ inputs: [x], grad: g }) => [g.mul(x.pow(2)).mul(3)],
});

describe('customOp', () => {
  test('records a node with its own backward rule', () => {
    const x = new Value(2);
    const y = cube(x);
    expect([y.data, y.op, y.parents]).toEqual([8, 'cube', [x]]);
    y.backward();
    expect(x.grad).toBe(12);
  });

  test('a backward written with Value ops works at higher order', () => {
    const x = new Value(2);
    const [d1] = grad(cube(x), [x], { createGraph: true });
    const [d2] = grad(d1, [x], { createGraph: true });
    const [d3] = grad(d2, [x]);
    expect([d1.data, d2.data, d3.data]).toEqual([12, 12, 6]);
    expect(gradcheck((v) => cube(v).sin(), [0.7], { secondOrder: true })).toMatchObject({ ok: true });
  });

  test('plain-number inputs are constants; their gradients are ignored', () => {
    const scaled = customOp({
      name: 'scaled',
      forward: (x, k) => x * k,
      backward: ({ inputs: [, k], grad: g }) => [g.mul(k), 123],
    });
    const x = new Value(3);
    scaled(x, 4).backward();
    expect(x.grad).toBe(4);
  });

  test('the first-order backward records no graph', () => {
    let recorded: boolean | null = null;
    const probe = customOp({
      name: 'probe',
      forward: (x) => x,
      backward: ({ grad: g, inputs: [x] }) => {
        recorded = g.mul(x).requiresGrad;
        return [g];
      },
    });
    probe(new Value(1)).backward();
    expect(recorded).toBe(false);
  });

  test('under noGrad or with constant inputs it records nothing', () => {
    expect(noGrad(() => cube(new Value(2))).parents).toEqual([]);
    expect(cube(2).requiresGrad).toBe(false);
  });

  test('errors name the op: bad spec, bad operands, bad backward results', () => {
    expect(() => customOp({ name: '', forward: (x) => x, backward: () => [] })).toThrow(
      /name must be a non-empty string/,
    );
    expect(() => cube('2' as unknown as number)).toThrow(/cube\(\): expected a Value or a number/);
    const wrongCount = customOp({ name: 'wrong', forward: (x) => x, backward: () => [1, 2] });
    const x = new Value(1);
    expect(() => wrongCount(x).backward()).toThrow(
      /customOp 'wrong': backward must return an array with one gradient per input \(1\), but returned 2 entries/,
    );
    expect(x.grad).toBe(0);
    const notNumber = customOp({ name: 'nan', forward: () => 'x' as unknown as number, backward: () => [] });
    expect(() => notNumber(x)).toThrow(/forward must return a number/);
  });
});

describe('gradientReversal and straightThrough', () => {
  test('gradientReversal is the identity forward and -lambda * grad backward, at every order', () => {
    const x = new Value(3);
    const r = gradientReversal(x, 0.5);
    expect(r.data).toBe(3);
    r.mul(2).backward();
    expect(x.grad).toBe(-1);
    const y = new Value(2);
    const [d1] = grad(gradientReversal(y.pow(2)), [y], { createGraph: true });
    expect(d1.data).toBe(-4);
    expect(grad(d1, [y])[0].data).toBe(-2);
    expect(() => gradientReversal(y, NaN)).toThrow(/lambda must be a finite number/);
  });

  test('straightThrough quantises forward and passes the gradient unchanged', () => {
    const w = new Value(0.7);
    const q = straightThrough(w, Math.round);
    expect(q.data).toBe(1);
    q.mul(3).backward();
    expect(w.grad).toBe(3);
    expect(() => straightThrough(w, 3 as unknown as (x: number) => number)).toThrow(/f must be a function/);
  });
});
