/** The free functions take numbers, Values and Tensors alike: numbers give numbers, Values give Values, anything with a Tensor gives a Tensor, and gradients reach every kind. */
import {
  Tensor,
  Value,
  abs,
  add,
  clamp,
  div,
  exp,
  gradFn,
  leakyRelu,
  log,
  maximum,
  minimum,
  mul,
  neg,
  pow,
  relu,
  sigmoid,
  sqrt,
  sub,
  tanh,
  tensor,
} from '../lib';
import type { Operand } from '../lib';
import { expectTensorClose, f64 } from './helpers/tensor-gradcheck';

type Binary = (a: Operand, b: Operand) => Operand;
type Unary = (x: Operand) => Operand;

const binaries: [string, Binary, (a: number, b: number) => number][] = [
  ['add', add, (a, b) => a + b],
  ['sub', sub, (a, b) => a - b],
  ['mul', mul, (a, b) => a * b],
  ['div', div, (a, b) => a / b],
  ['pow', pow, (a, b) => a ** b],
  ['maximum', maximum, Math.max],
  ['minimum', minimum, Math.min],
];

const unaries: [string, Unary, (x: number) => number][] = [
  ['neg', neg, (x) => -x],
  ['exp', exp, Math.exp],
  ['log', log, Math.log],
  ['sqrt', sqrt, Math.sqrt],
  ['tanh', tanh, Math.tanh],
  ['sigmoid', sigmoid, (x) => 1 / (1 + Math.exp(-x))],
  ['relu', relu, (x) => Math.max(x, 0)],
  ['abs', abs, Math.abs],
  ['leakyRelu', (x: Operand) => leakyRelu(x, 0.1), (x) => (x > 0 ? x : 0.1 * x)],
  ['clamp', (x: Operand) => clamp(x, 0, 1.5), (x) => Math.min(Math.max(x, 0), 1.5)],
];

describe.each(binaries)('%s(a, b)', (_, f, reference) => {
  const [a, b] = [1.7, 0.6];

  test('numbers give a number', () => {
    const out = f(a, b);
    expect(typeof out).toBe('number');
    expect(out).toBeCloseTo(reference(a, b), 15);
  });

  test('a Value (either side) gives a Value, and its gradient is the method’s', () => {
    for (const [x, y] of [
      [new Value(a), new Value(b)],
      [new Value(a), b],
      [a, new Value(b)],
    ] as [Operand, Operand][]) {
      const out = f(x, y) as Value;
      expect(out).toBeInstanceOf(Value);
      expect(out.data).toBeCloseTo(reference(a, b), 15);
      out.backward();
    }
  });

  test('a Tensor (either side) gives a Tensor equal to the method’s, broadcasting a number or a Value', () => {
    const t = f64([a, 2.5]);
    const viaMethod = (t as unknown as Record<string, (o: number) => Tensor>)[_](b);
    for (const out of [f(t, b), f(t, new Value(b))]) {
      expect(out).toBeInstanceOf(Tensor);
      expectTensorClose(out as Tensor, Array.from(viaMethod.data));
    }
    const left = f(a, f64([b, 0.25])) as Tensor;
    expectTensorClose(left, [reference(a, b), reference(a, 0.25)], 1e-15);
  });
});

describe('gradients across kinds', () => {
  test('mul(Value, Tensor): the Value joins the tensor graph as a 0-d tensor and gets the summed gradient', () => {
    const v = new Value(2);
    const t = f64([1, 2, 3], true);
    const y = mul(v, t);
    expect([y.shape, y.dtype]).toEqual([[3], 'float64']);
    y.sum().backward();
    expect(v.grad).toBe(6);
    expectTensorClose(t.grad!, [2, 2, 2]);
  });

  test('pow(Tensor, Value): the exponent gets Σ a^b ln a', () => {
    const e = new Value(2);
    const base = f64([2, 3]);
    pow(base, e).sum().backward();
    expect(e.grad).toBeCloseTo(4 * Math.log(2) + 9 * Math.log(3), 14);
  });

  test('a Value with a float32 tensor keeps the tensor float32 (a 0-d operand does not widen)', () => {
    expect(add(new Value(1), tensor([1, 2])).dtype).toBe('float32');
  });
});

describe.each(unaries)('%s(x)', (_, f, reference) => {
  const x = 0.8;

  test('a number gives a number', () => {
    const points = _ === 'log' || _ === 'sqrt' ? [x, 1.3] : [x, 1.7, -0.3, -2];
    for (const p of points) expect(f(p)).toBeCloseTo(reference(p), 15);
  });

  test('a Value gives a Value; a Tensor gives a Tensor', () => {
    const v = f(new Value(x)) as Value;
    expect(v).toBeInstanceOf(Value);
    expect(v.data).toBeCloseTo(reference(x), 15);
    const t = f(f64([x, 1.9])) as Tensor;
    expect(t).toBeInstanceOf(Tensor);
    expectTensorClose(t, [reference(x), reference(1.9)], 1e-15);
  });
});

describe('one function for every kind', () => {
  const softsign = <A extends Operand>(x: A) => div(x, add(1, abs(x)));

  test('numbers, Values and Tensors give the same numbers', () => {
    const n = softsign(-3);
    const v = softsign(new Value(-3));
    const t = softsign(f64([-3]));
    expect(n).toBe(-0.75);
    expect(v.data).toBe(-0.75);
    expect(t.toArray()).toEqual([-0.75]);
  });

  test("the issue's example: gradFn((x, y) => mul(x, y), { argnums: 1 })(2, 3) is 2", () => {
    expect(gradFn((x: Value, y: Value) => mul(x, y), { argnums: 1 })(2, 3)).toBe(2);
    expect(gradFn((x: Value) => exp(mul(x, x)))(1)).toBeCloseTo(2 * Math.E, 14);
  });

  test('number edge cases match the Value ops: NaN propagates in maximum, sigmoid does not overflow', () => {
    expect(Number.isNaN(maximum(NaN, 1))).toBe(true);
    expect(Number.isNaN(minimum(1, NaN))).toBe(true);
    expect(sigmoid(-800)).toBe(0);
    expect(sigmoid(800)).toBe(1);
    expect(Number.isNaN(relu(NaN))).toBe(true);
  });

  test('anything else is a TypeError naming the op', () => {
    expect(() => add('1' as unknown as number, 2)).toThrow('add(): expected a number, a Value or a Tensor, got "1"');
    expect(() => exp(null as unknown as number)).toThrow('exp(): expected a number, a Value or a Tensor, got null');
  });
});
