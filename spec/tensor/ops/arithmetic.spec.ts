/** Broadcasting arithmetic: forward values, gradients against finite differences in every broadcasting direction, second order, ties, masks, dtypes and shape errors. */
import { Tensor, add, div, eq, ge, gt, le, lt, maximum, minimum, mul, pow, sub, tensor, where } from '../../../lib';
import { expectGradientsMatch, expectSecondOrderMatch, expectTensorClose, f64 } from '../../helpers/tensor-gradcheck';

// Positive, pairwise distinct values (pow needs a positive base; maximum/minimum need no ties).
const col3 = [[0.5], [1.25], [2.1]]; // [3, 1]
const row4 = [[0.3, 1.1, 0.8, 1.7]]; // [1, 4]
const vec4 = [0.45, 1.15, 0.85, 1.75]; // [4]
const mat34 = [
  [0.4, 0.9, 1.3, 2.2],
  [1.6, 0.35, 0.75, 1.9],
  [1.05, 2.4, 0.6, 1.45],
]; // [3, 4]
const scalar0d = 1.35; // a 0-d tensor

type Binary = (a: Tensor, b: Tensor) => Tensor;
const ops: [string, Binary][] = [
  ['add', (a, b) => a.add(b)],
  ['sub', (a, b) => a.sub(b)],
  ['mul', (a, b) => a.mul(b)],
  ['div', (a, b) => a.div(b)],
  ['pow', (a, b) => a.pow(b)],
  ['maximum', (a, b) => a.maximum(b)],
  ['minimum', (a, b) => a.minimum(b)],
];

const directions: [string, unknown, unknown, number[]][] = [
  ['[3,1] with [1,4]', col3, row4, [3, 4]],
  ['[1,4] with [3,1]', row4, col3, [3, 4]],
  ['[4] with [3,4]', vec4, mat34, [3, 4]],
  ['[3,4] with [4]', mat34, vec4, [3, 4]],
  ['0-d with [3,4]', scalar0d, mat34, [3, 4]],
  ['[3,4] with 0-d', mat34, scalar0d, [3, 4]],
  ['[3,4] with [3,4]', mat34, mat34.map((r) => r.map((x) => x + 0.05)), [3, 4]],
];

const cases = ops.flatMap(([name, op]) =>
  directions.map(([dir, a, b, shape]) => [name, dir, op, a, b, shape] as const),
);

describe('binary ops broadcast in every direction', () => {
  test.each(cases)(
    '%s: %s gives the broadcast shape and first-order gradients match central differences',
    (_, __, op, a, b, shape) => {
      expect(op(f64(a as number[]), f64(b as number[])).shape).toEqual(shape);
      expectGradientsMatch(op, [a as number[], b as number[]]);
    },
  );

  test.each(
    ops.flatMap(([name, op]) =>
      [directions[0], directions[2], directions[4]].map(([dir, a, b]) => [name, dir, op, a, b] as const),
    ),
  )('%s: %s second-order gradients match finite differences of the first', (_, __, op, a, b) =>
    expectSecondOrderMatch(op, [a as number[], b as number[]]),
  );

  test('values: [3,1] + [1,4] is the outer sum, [4] * [3,4] scales each row', () => {
    expectTensorClose(f64([[1], [2], [3]]).add(f64([[10, 20, 30, 40]])), [
      [11, 21, 31, 41],
      [12, 22, 32, 42],
      [13, 23, 33, 43],
    ]);
    expectTensorClose(
      f64([1, 2, 3, 4]).mul(
        f64([
          [1, 1, 1, 1],
          [2, 2, 2, 2],
        ]),
      ),
      [
        [1, 2, 3, 4],
        [2, 4, 6, 8],
      ],
    );
    expectTensorClose(f64(2).sub(f64([5, 7])), [-3, -5]);
    expectTensorClose(f64([8, 9]).div(f64([[2], [3]])), [
      [4, 4.5],
      [8 / 3, 3],
    ]);
  });

  test('a broadcast operand gets its gradient summed back to its own shape', () => {
    const a = f64([[1], [2], [3]], true);
    const b = f64([[10, 20, 30, 40]], true);
    a.mul(b).sum().backward();
    expectTensorClose(a.grad!, [[100], [100], [100]]);
    expectTensorClose(b.grad!, [[6, 6, 6, 6]]);
    const s = f64(2, true);
    const m = f64(
      [
        [1, 2],
        [3, 4],
      ],
      true,
    );
    s.mul(m).sum().backward();
    expect(s.grad!.shape).toEqual([]);
    expect(s.grad!.item()).toBe(10);
    expectTensorClose(m.grad!, [
      [2, 2],
      [2, 2],
    ]);
  });
});

describe('number operands', () => {
  const x = [
    [0.7, 1.3, 2.2],
    [0.4, 1.9, 0.8],
  ];
  test.each([
    ['x + 1.5', (t: Tensor) => t.add(1.5)],
    ['1.5 + x', (t: Tensor) => add(1.5, t)],
    ['x - 1.5', (t: Tensor) => t.sub(1.5)],
    ['1.5 - x', (t: Tensor) => sub(1.5, t)],
    ['x * 1.5', (t: Tensor) => t.mul(1.5)],
    ['1.5 * x', (t: Tensor) => mul(1.5, t)],
    ['x / 1.5', (t: Tensor) => t.div(1.5)],
    ['1.5 / x', (t: Tensor) => div(1.5, t)],
    ['x ** 2.5', (t: Tensor) => t.pow(2.5)],
    ['1.5 ** x', (t: Tensor) => pow(1.5, t)],
    ['maximum(x, 1)', (t: Tensor) => t.maximum(1)],
    ['minimum(1, x)', (t: Tensor) => minimum(1, t)],
  ])('%s: gradients at first and second order match finite differences', (_, f) => {
    expectGradientsMatch(f, [x]);
    expectSecondOrderMatch(f, [x]);
  });

  test('1.5 / x has value and gradient -1.5 / x^2', () => {
    const t = f64([2, 3], true);
    const y = div(1.5, t);
    expectTensorClose(y, [0.75, 0.5]);
    y.sum().backward();
    expectTensorClose(t.grad!, [-1.5 / 4, -1.5 / 9]);
  });
});

describe('maximum and minimum', () => {
  test('ties split the gradient in half (PyTorch); the loser gets 0', () => {
    const a = f64([1, 2, 3], true);
    const b = f64([1, 5, 0], true);
    maximum(a, b)
      .mul(f64([2, 3, 4]))
      .sum()
      .backward();
    expectTensorClose(a.grad!, [1, 0, 4]);
    expectTensorClose(b.grad!, [1, 3, 0]);
    a.zeroGrad();
    b.zeroGrad();
    minimum(a, b)
      .mul(f64([2, 3, 4]))
      .sum()
      .backward();
    expectTensorClose(a.grad!, [1, 3, 0]);
    expectTensorClose(b.grad!, [1, 0, 4]);
  });

  test('a tie against a broadcast number sends half to the tensor', () => {
    const x = f64([0.5, 1, 1.5], true);
    x.maximum(1).sum().backward();
    expectTensorClose(x.grad!, [0, 0.5, 1]);
  });

  test('NaN propagates in the forward', () => {
    expect(Number.isNaN(maximum(f64([NaN]), f64([1])).item())).toBe(true);
    expect(Number.isNaN(minimum(f64([1]), f64([NaN])).item())).toBe(true);
  });
});

describe('pow at the edges (PyTorch conventions)', () => {
  test('d/da a^b is 0 where b = 0 (even at a = 0) and d/db a^b is 0 where a = 0 and b >= 0', () => {
    const a = f64([0, 0, 2], true);
    const b = f64([0, 3, 0], true);
    a.pow(b).sum().backward();
    expectTensorClose(a.grad!, [0, 0, 0]);
    expectTensorClose(b.grad!, [0, 0, Math.log(2)]);
  });

  test('value and gradients of a^b match the formulas', () => {
    const a = f64([2, 3], true);
    const b = f64([3, 0.5], true);
    const y = a.pow(b);
    expectTensorClose(y, [8, Math.sqrt(3)]);
    y.sum().backward();
    expectTensorClose(a.grad!, [12, 0.5 / Math.sqrt(3)]);
    expectTensorClose(b.grad!, [8 * Math.log(2), Math.sqrt(3) * Math.log(3)]);
  });
});

describe('where', () => {
  const cond = tensor([[1], [0], [1]], { dtype: 'float64' });
  test('selects a where cond is nonzero, b elsewhere, broadcasting all three', () => {
    expectTensorClose(where(cond, f64([1, 2]), f64(-1)), [
      [1, 2],
      [-1, -1],
      [1, 2],
    ]);
  });

  test('gradients go to a where cond holds and to b elsewhere, at first and second order', () => {
    const f = (a: Tensor, b: Tensor) => where(cond, a, b);
    expectGradientsMatch(f, [
      [0.3, -1.2],
      [[0.7], [1.1], [-0.4]],
    ]);
    expectSecondOrderMatch(f, [
      [0.3, -1.2],
      [[0.7], [1.1], [-0.4]],
    ]);
    const a = f64([0.3, -1.2], true);
    const b = f64(5, true);
    where(cond, a, b).sum().backward();
    expectTensorClose(a.grad!, [2, 2]);
    expect(b.grad!.item()).toBe(2);
  });

  test('a number branch gets nothing and the tensor branch gets exactly 0 outside its mask', () => {
    const x = f64([1, 2, 3], true);
    where(f64([0, 1, 0]), 7, x)
      .mul(f64([10, 20, 30]))
      .sum()
      .backward();
    expectTensorClose(x.grad!, [10, 0, 30]);
  });
});

describe('comparisons', () => {
  test('give 0/1 tensors that record nothing', () => {
    const a = f64([1, 2, 3], true);
    const b = f64([2, 2, 2]);
    const results = [gt(a, b), ge(a, b), lt(a, b), le(a, b), eq(a, b)];
    expect(results.map((r) => r.toArray())).toEqual([
      [0, 0, 1],
      [0, 1, 1],
      [1, 0, 0],
      [1, 1, 0],
      [0, 1, 0],
    ]);
    for (const r of results) {
      expect(r.requiresGrad).toBe(false);
      expect(r.isLeaf).toBe(true);
    }
  });
});

describe('dtypes', () => {
  test('float32 with float64 gives float64; a 0-d float64 does not widen a float32 with dimensions (PyTorch)', () => {
    expect(tensor([1, 2]).add(f64([1, 2])).dtype).toBe('float64');
    expect(tensor([1, 2]).add(f64(1)).dtype).toBe('float32');
    expect(f64([1, 2]).add(tensor(1)).dtype).toBe('float64');
    expect(tensor([1]).mul(2).dtype).toBe('float32');
  });

  test('each operand gets its gradient in its own dtype', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = f64([3, 4], true);
    a.mul(b).sum().backward();
    expect(a.grad!.dtype).toBe('float32');
    expect(b.grad!.dtype).toBe('float64');
    expect(Array.from(a.grad!.data)).toEqual([3, 4]);
    expect(Array.from(b.grad!.data)).toEqual([1, 2]);
  });

  test('float32 arithmetic rounds to float32', () => {
    expect(tensor([0.1]).add(0.2).item()).toBe(Math.fround(Math.fround(0.1) + Math.fround(0.2)));
  });
});

describe('shape errors print both shapes and the op', () => {
  test.each([
    ['add', '[3]', '[2]', () => f64([1, 2, 3]).add(f64([1, 2]))],
    [
      'sub',
      '[1, 3]',
      '[2, 2]',
      () =>
        sub(
          f64([[1, 2, 3]]),
          f64([
            [1, 2],
            [3, 4],
          ]),
        ),
    ],
    [
      'mul',
      '[2, 2]',
      '[3]',
      () =>
        f64([
          [1, 2],
          [3, 4],
        ]).mul(f64([1, 2, 3])),
    ],
    [
      'div',
      '[4]',
      '[2, 2]',
      () =>
        f64([1, 2, 3, 4]).div(
          f64([
            [1, 2],
            [3, 4],
          ]),
        ),
    ],
    ['pow', '[2]', '[3]', () => pow(f64([1, 2]), f64([1, 2, 3]))],
    ['maximum', '[2]', '[3]', () => maximum(f64([1, 2]), f64([1, 2, 3]))],
    [
      'minimum',
      '[3, 1, 2]',
      '[4, 3]',
      () =>
        minimum(
          f64([[[1, 2]], [[1, 2]], [[1, 2]]]),
          f64([
            [1, 2, 3],
            [1, 2, 3],
            [1, 2, 3],
            [1, 2, 3],
          ]),
        ),
    ],
    ['where', '[2]', '[3]', () => where(f64([1, 0]), f64([1, 2, 3]), 0)],
  ])('%s: a RangeError naming the op, %s and %s', (op, first, second, f) => {
    let error: unknown = null;
    try {
      f();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RangeError);
    const message = (error as Error).message;
    expect(message.startsWith(`${op}(): shapes ${first} and ${second} cannot be broadcast together`)).toBe(true);
  });

  test('the add message names both shapes exactly', () => {
    expect(() =>
      f64([1, 2, 3]).add(
        f64([
          [1, 2],
          [3, 4],
        ]),
      ),
    ).toThrow('add(): shapes [3] and [2, 2] cannot be broadcast together');
  });

  test('a non-tensor operand is a TypeError naming the operand', () => {
    expect(() => f64([1]).add('2' as unknown as number)).toThrow(/add\(\): second operand must be a Tensor/);
  });
});
