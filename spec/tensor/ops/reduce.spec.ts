/** Reductions over every axis and axis list, with and without keepDim: values against a plain loop, gradients against finite differences (first and second order), max/min ties as PyTorch. */
import { Tensor, argmax, logSumExp, max, mean, min, sum, tensor, zeros } from '../../../lib';
import { expectGradientsMatch, expectSecondOrderMatch, expectTensorClose, f64 } from '../../helpers/tensor-gradcheck';

const shape = [2, 3, 4];
// 24 distinct values in mixed order (no ties for max/min), moderate size (logSumExp).
const values = Array.from({ length: 24 }, (_, i) => Math.round(100 * Math.sin(7.1 * i + 0.3)) / 40);
const nested = () => f64(values).reshape(shape).toArray() as number[][][];

type Reduce = (x: Tensor, axis: number | number[] | undefined, keepDim: boolean) => Tensor;
const ops: [string, Reduce, (xs: number[]) => number][] = [
  ['sum', (x, a, k) => x.sum(a, k), (xs) => xs.reduce((s, v) => s + v, 0)],
  ['mean', (x, a, k) => x.mean(a, k), (xs) => xs.reduce((s, v) => s + v, 0) / xs.length],
  ['max', (x, a, k) => x.max(a, k), (xs) => Math.max(...xs)],
  ['min', (x, a, k) => x.min(a, k), (xs) => Math.min(...xs)],
  ['logSumExp', (x, a, k) => x.logSumExp(a, k), (xs) => Math.log(xs.reduce((s, v) => s + Math.exp(v), 0))],
];
const axisLists: (number | number[] | undefined)[] = [
  undefined,
  0,
  1,
  2,
  -1,
  -3,
  [0, 1],
  [0, 2],
  [1, 2],
  [2, 0],
  [0, 1, 2],
];

/** The reduction of `values` (row-major, `shape`) over `axes` by `f`, as a flat array with the kept shape. */
function reference(f: (xs: number[]) => number, axes: number[]): { shape: number[]; data: number[] } {
  const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const groups = new Map<number, number[]>();
  for (let i = 0; i < 24; i++) {
    const idx = [Math.floor(i / 12), Math.floor(i / 4) % 3, i % 4];
    const key = idx.reduce((k, v, d) => k * kept[d] + (axes.includes(d) ? 0 : v), 0);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(values[i]);
  }
  return { shape: kept, data: [...groups.keys()].sort((a, b) => a - b).map((k) => f(groups.get(k)!)) };
}

function axesOf(axis: number | number[] | undefined): number[] {
  if (axis === undefined) return [0, 1, 2];
  return (typeof axis === 'number' ? [axis] : axis).map((a) => (a < 0 ? a + 3 : a));
}

const cases = ops.flatMap(([name, op, f]) =>
  axisLists.flatMap((axis) =>
    [false, true].map((keepDim) => [name, JSON.stringify(axis ?? 'all'), keepDim, op, f, axis] as const),
  ),
);

describe('reductions of a [2, 3, 4] tensor', () => {
  test.each(cases)(
    '%s over %s, keepDim %p: shape and values match a plain loop; gradients match central differences',
    (_, __, keepDim, op, f, axis) => {
      const axes = axesOf(axis);
      const want = reference(f, axes);
      const out = op(f64(nested()), axis, keepDim);
      const wantShape = keepDim ? want.shape : want.shape.filter((_, i) => !axes.includes(i));
      expect(out.shape).toEqual(wantShape);
      expectTensorClose(out.reshape([want.data.length]), want.data, 1e-13);
      expectGradientsMatch((x) => op(x, axis, keepDim), [nested()]);
    },
  );

  test.each(
    ops.flatMap(([name, op]) =>
      [1, [0, 2], undefined].flatMap((axis) =>
        [false, true].map((keepDim) => [name, JSON.stringify(axis ?? 'all'), keepDim, op, axis] as const),
      ),
    ),
  )(
    '%s over %s, keepDim %p: second-order gradients match finite differences of the first',
    (_, __, keepDim, op, axis) => expectSecondOrderMatch((x) => op(x, axis, keepDim), [nested()]),
  );
});

describe('small cases by hand', () => {
  test('sum and mean of [[1, 2], [3, 4]] over each axis', () => {
    const x = f64([
      [1, 2],
      [3, 4],
    ]);
    expectTensorClose(x.sum(0), [4, 6]);
    expectTensorClose(x.sum(1, true), [[3], [7]]);
    expectTensorClose(x.mean(), 2.5);
    expectTensorClose(x.mean([0, 1], true), [[2.5]]);
  });

  test('the gradient of mean over [0, 2] of a [2, 3, 4] tensor is 1/8 everywhere', () => {
    const x = f64(nested(), true);
    x.mean([0, 2]).sum().backward();
    expect(new Set(Array.from(x.grad!.data))).toEqual(new Set([1 / 8]));
  });

  test('a 0-d tensor reduces to itself', () => {
    const x = f64(3, true);
    const y = x.sum();
    expect(y.shape).toEqual([]);
    y.mul(2).backward();
    expect(x.grad!.item()).toBe(2);
    expect(f64(3).max().item()).toBe(3);
  });
});

describe('max and min with ties (PyTorch)', () => {
  test('over one axis the whole gradient goes to the first occurrence', () => {
    const x = f64(
      [
        [1, 3, 3],
        [2, 2, 0],
      ],
      true,
    );
    x.max(1)
      .mul(f64([5, 7]))
      .sum()
      .backward();
    expectTensorClose(x.grad!, [
      [0, 5, 0],
      [7, 0, 0],
    ]);
    const y = f64(
      [
        [4, 1, 1],
        [0, 0, 9],
      ],
      true,
    );
    y.min(1, true).sum().backward();
    expectTensorClose(y.grad!, [
      [0, 1, 0],
      [1, 0, 0],
    ]);
    const z = f64(
      [
        [2, 1],
        [2, 3],
      ],
      true,
    );
    z.max(0).sum().backward();
    expectTensorClose(z.grad!, [
      [1, 0],
      [0, 1],
    ]);
  });

  test('over all axes the gradient is split evenly among ties', () => {
    const x = f64(
      [
        [1, 3, 3],
        [3, 0, 0],
      ],
      true,
    );
    x.max().mul(6).backward();
    expectTensorClose(x.grad!, [
      [0, 2, 2],
      [2, 0, 0],
    ]);
    const y = f64(
      [
        [1, 3, 3],
        [3, 0, 0],
      ],
      true,
    );
    y.min().backward();
    expectTensorClose(y.grad!, [
      [0, 0, 0],
      [0, 0.5, 0.5],
    ]);
  });

  test('over an axis list the gradient is split among the ties of each group', () => {
    // [2, 2, 2]: over axes [0, 2], group j = 0 holds {1, 5, 5, 2}, group j = 1 holds {4, 4, 4, 4}.
    const x = f64(
      [
        [
          [1, 5],
          [4, 4],
        ],
        [
          [5, 2],
          [4, 4],
        ],
      ],
      true,
    );
    const out = x.max([0, 2]);
    expectTensorClose(out, [5, 4]);
    out
      .mul(f64([1, 2]))
      .sum()
      .backward();
    expectTensorClose(x.grad!, [
      [
        [0, 0.5],
        [0.5, 0.5],
      ],
      [
        [0.5, 0],
        [0.5, 0.5],
      ],
    ]);
  });
});

describe('logSumExp', () => {
  test('is stable for large inputs and gives -Infinity for an all -Infinity row', () => {
    expectTensorClose(f64([1000, 1000]).logSumExp(), 1000 + Math.LN2);
    expectTensorClose(f64([-1000, -1000]).logSumExp(), -1000 + Math.LN2);
    expect(
      f64([
        [-Infinity, -Infinity],
        [0, 0],
      ])
        .logSumExp(1)
        .toArray(),
    ).toEqual([-Infinity, Math.LN2]);
  });

  test('its gradient is the softmax, also for large inputs', () => {
    const x = f64([1000, 1001, 999], true);
    x.logSumExp().backward();
    const e = [Math.exp(-1), 1, Math.exp(-2)];
    const total = e[0] + e[1] + e[2];
    expectTensorClose(
      x.grad!,
      e.map((v) => v / total),
      1e-14,
    );
  });
});

describe('errors', () => {
  test('an axis out of range names the op, the axis and the dimensions', () => {
    expect(() => f64([[1]]).sum(2)).toThrow('sum(): axis 2 is out of range for a tensor with 2 dimension(s)');
    expect(() => f64([[1]]).max(-3)).toThrow('max(): axis -3 is out of range');
    expect(() => mean(f64([[1]]), 1.5)).toThrow(RangeError);
  });

  test('an axis named twice is refused', () => {
    expect(() => f64([[1]]).sum([1, -1])).toThrow('sum(): axis [1, -1] names a dimension twice.');
  });

  test('max and min of an empty tensor or over an empty axis are refused with the shape', () => {
    expect(() => max(tensor([]))).toThrow('max(): cannot reduce an empty tensor (shape [0]).');
    expect(() => min(tensor(new Float32Array(0), { shape: [2, 0] }), 1)).toThrow(
      'min(): cannot reduce an empty tensor (shape [2, 0]).',
    );
  });

  test('the sum of an empty tensor is 0', () => {
    expect(sum(tensor([])).item()).toBe(0);
    expect(logSumExp(f64([0, 0])).item()).toBe(Math.LN2);
  });
});

describe('argmax and argmin', () => {
  // torch.tensor([[1., 5., 5.], [7., 2., 7.]]).argmax(1) -> tensor([1, 0]); .argmin(0) -> tensor([0, 1, 0]);
  // .argmax() -> tensor(3); .argmax(1, keepdim=True).shape -> torch.Size([2, 1])
  const x = tensor([
    [1, 5, 5],
    [7, 2, 7],
  ]);
  it('give the first index of the extreme along an axis, or in the flattened tensor', () => {
    expect(x.argmax(1).toArray()).toEqual([1, 0]);
    expect(x.argmin(0).toArray()).toEqual([0, 1, 0]);
    expect(x.argmax(-1).toArray()).toEqual([1, 0]);
    expect(x.argmax().toArray()).toEqual(3);
    expect(x.argmin().item()).toBe(0);
    expect(x.argmax(1, true).shape).toEqual([2, 1]);
    expect(x.argmax(null, true).shape).toEqual([1, 1]);
    expect(argmax(x, 0).toArray()).toEqual([1, 0, 1]);
  });
  it('need no grad and refuse empty tensors and bad axes', () => {
    const w = tensor([3, 1, 2], { requiresGrad: true });
    expect(w.argmax().requiresGrad).toBe(false);
    expect(w.argmax().dtype).toBe('float64');
    expect(() => zeros([0]).argmax()).toThrow('argmax(): cannot reduce an empty tensor (shape [0]).');
    expect(() => x.argmin(2)).toThrow(/argmin\(\): axis 2 is out of range/);
  });
});
