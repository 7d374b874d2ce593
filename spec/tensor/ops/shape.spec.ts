/** Shape ops: results, storage sharing, gradients at first and second order against finite differences, and errors that print both shapes and the op. */
import { Tensor, arange, expand, flatten, permute, reshape, squeeze, tensor, transpose, unsqueeze } from '../../../lib';
import {
  type CheckOptions,
  expectGradientsMatch,
  expectSecondOrderMatch,
  expectTensorClose,
  f64,
} from '../../helpers/tensor-gradcheck';

const x234 = () => arange(24, undefined, 1, { dtype: 'float64' }).reshape([2, 3, 4]);
const at234 = Array.from({ length: 2 }, (_, i) =>
  Array.from({ length: 3 }, (_, j) => Array.from({ length: 4 }, (_, k) => Math.cos(i * 12 + j * 4 + k) + 0.1 * k)),
);

const cases: [string, (x: Tensor) => Tensor, number[], unknown, CheckOptions?][] = [
  ['reshape([4, -1])', (x) => x.reshape([4, -1]), [2, 3, 4], at234],
  ['reshape([-1])', (x) => x.reshape([-1]), [2, 3, 4], at234],
  ['flatten()', (x) => x.flatten(), [2, 3, 4], at234],
  ['flatten(1)', (x) => x.flatten(1), [2, 3, 4], at234],
  ['flatten(0, 1)', (x) => x.flatten(0, 1), [2, 3, 4], at234],
  ['squeeze()', (x) => x.squeeze(), [1, 3, 1], [[[0.3], [-1.2], [0.7]]]],
  ['squeeze(-1)', (x) => x.squeeze(-1), [1, 3, 1], [[[0.3], [-1.2], [0.7]]]],
  ['unsqueeze(1)', (x) => x.unsqueeze(1), [2, 3, 4], at234],
  ['unsqueeze(-1)', (x) => x.unsqueeze(-1), [2, 3, 4], at234],
  ['transpose()', (x) => x.transpose(), [2, 3, 4], at234],
  ['transpose(0, 2)', (x) => x.transpose(0, 2), [2, 3, 4], at234],
  ['permute([2, 0, 1])', (x) => x.permute([2, 0, 1]), [2, 3, 4], at234],
  ['permute([1, -1, 0])', (x) => x.permute([1, -1, 0]), [2, 3, 4], at234],
  ['expand [3, 1] to [2, 3, 4]', (x) => x.expand([2, 3, 4]), [3, 1], [[0.3], [-1.2], [0.7]]],
  ['expand [4] to [3, 4]', (x) => x.expand([3, 4]), [4], [0.3, -1.2, 0.7, 2]],
  ['expand 0-d to [2, 2]', (x) => x.expand([2, 2]), [], 1.7],
  // Values and steps exact in float32, so the round trip adds no rounding to the differences;
  // the gradient crossing the float32 node is float32, hence the float32 tolerance.
  [
    'toType float32 and back',
    (x) => x.toType('float32').toType('float64'),
    [2, 2],
    [
      [0.5, 0.25],
      [-2, 4],
    ],
    { eps: 2 ** -10, tolerance: 1e-6 * 2 ** 5 },
  ],
  ['clone', (x) => x.clone(), [2, 3, 4], at234],
];

describe.each(cases)('%s', (_, f, inShape, at, options) => {
  test('first-order gradients match central differences', () => {
    expect(f64(at as number[]).shape).toEqual(inShape);
    expectGradientsMatch(f, [at as number[]], options);
  });
  test('second-order gradients match finite differences of the first', () =>
    expectSecondOrderMatch(f, [at as number[]], options));
});

describe('results', () => {
  test('reshape infers -1, keeps the row-major order and shares storage (as a view)', () => {
    const x = x234();
    const y = x.reshape([-1, 6]);
    expect(y.shape).toEqual([4, 6]);
    expect(y.toArray()).toEqual([
      [0, 1, 2, 3, 4, 5],
      [6, 7, 8, 9, 10, 11],
      [12, 13, 14, 15, 16, 17],
      [18, 19, 20, 21, 22, 23],
    ]);
    x.data[0] = 99;
    expect(y.data[0]).toBe(99);
    expect(reshape(f64([1, 2, 3, 4]), [2, 2]).toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  test('flatten, squeeze and unsqueeze give the shapes PyTorch gives', () => {
    expect(flatten(x234()).shape).toEqual([24]);
    expect(x234().flatten(1).shape).toEqual([2, 12]);
    expect(x234().flatten(0, -2).shape).toEqual([6, 4]);
    expect(f64(3).flatten().shape).toEqual([1]);
    expect(squeeze(tensor([[[1], [2]]])).shape).toEqual([2]);
    expect(tensor([[[1], [2]]]).squeeze(0).shape).toEqual([2, 1]);
    expect(tensor([[[1], [2]]]).squeeze(1).shape).toEqual([1, 2, 1]);
    expect(unsqueeze(tensor([1, 2]), 0).shape).toEqual([1, 2]);
    expect(tensor([1, 2]).unsqueeze(-1).shape).toEqual([2, 1]);
    expect(tensor(5).unsqueeze(0).shape).toEqual([1]);
  });

  test('transpose and permute move elements', () => {
    expect(
      transpose(
        f64([
          [1, 2, 3],
          [4, 5, 6],
        ]),
      ).toArray(),
    ).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    const p = permute(x234(), [2, 0, 1]);
    expect(p.shape).toEqual([4, 2, 3]);
    // p[k][i][j] = x[i][j][k] = 12 i + 4 j + k
    expect((p.toArray() as number[][][])[3][1][2]).toBe(12 + 8 + 3);
    expect(f64([1, 2]).transpose().toArray()).toEqual([1, 2]);
  });

  test('expand repeats; its gradient sums over the repeated dimensions', () => {
    const x = f64([[1], [2]], true);
    const y = expand(x, [3, 2, 4]);
    expect(y.shape).toEqual([3, 2, 4]);
    expect((y.toArray() as number[][][])[2][1]).toEqual([2, 2, 2, 2]);
    y.sum().backward();
    expectTensorClose(x.grad!, [[12], [12]]);
  });

  test('toType converts, and the gradient comes back in the input dtype', () => {
    const x = f64([0.1, 0.2], true);
    const y = x.toType('float32');
    expect(y.dtype).toBe('float32');
    expect(y.data[0]).toBe(Math.fround(0.1));
    y.mul(3).sum().backward();
    expect(x.grad!.dtype).toBe('float64');
    expectTensorClose(x.grad!, [3, 3]);
  });

  test('clone copies the storage', () => {
    const x = f64([1, 2]);
    const y = x.clone();
    x.data[0] = 7;
    expect(y.toArray()).toEqual([1, 2]);
  });
});

describe('shape errors print both shapes and the op', () => {
  test('reshape to a different number of elements', () => {
    expect(() => x234().reshape([5, 5])).toThrow(
      'reshape(): cannot reshape a tensor of shape [2, 3, 4] (24 elements) to [5, 5] (25 elements).',
    );
    expect(() => x234().reshape([5, -1])).toThrow(
      'reshape(): cannot reshape a tensor of shape [2, 3, 4] (24 elements) to [5, -1].',
    );
    expect(() => x234().reshape([-1, -1])).toThrow('reshape(): only one size can be -1, got [-1, -1].');
    expect(() => x234().reshape([2, 12]).reshape([-2, 12])).toThrow(TypeError);
  });

  test('expand to a shape that does not broadcast', () => {
    expect(() => f64([1, 2, 3]).expand([2, 2])).toThrow('expand(): shapes [3] and [2, 2] cannot be broadcast together');
    expect(() =>
      f64([
        [1, 2, 3],
        [4, 5, 6],
      ]).expand([3]),
    ).toThrow('expand(): shape [2, 3] cannot be expanded to [3].');
    expect(() =>
      f64([[1], [2]])
        .expand([2, 1, 3])
        .expand([2, 3]),
    ).toThrow(RangeError);
  });

  test('permute, transpose, squeeze, unsqueeze and flatten name the bad argument and the shape', () => {
    expect(() => x234().permute([0, 1])).toThrow(
      'permute(): dims must list each of the 3 dimensions once, got [0,1] for shape [2, 3, 4].',
    );
    expect(() => x234().permute([0, 1, 1])).toThrow('permute(): dims [0,1,1] name a dimension twice.');
    expect(() => x234().transpose(0, 3)).toThrow(
      'transpose(): axis 3 is out of range for a tensor with 3 dimension(s)',
    );
    expect(() => x234().squeeze(3)).toThrow('squeeze(): axis 3 is out of range');
    expect(() => x234().unsqueeze(4)).toThrow('unsqueeze(): axis 4 is out of range for a tensor with 4 dimension(s)');
    expect(() => x234().flatten(2, 1)).toThrow('flatten(): start (2) must not come after end (1) for shape [2, 3, 4].');
  });
});
