/**
 * slice/narrow, concat, stack, pad, indexSelect/indexAdd and gather/scatterAdd: exact forward
 * values for small cases worked out by hand, gradients (first and second order) against
 * central finite differences in float64, and the errors.
 */
import {
  type Tensor,
  arange,
  concat,
  gather,
  indexAdd,
  indexSelect,
  narrow,
  pad,
  scatterAdd,
  slice,
  stack,
  tensor,
  zeros,
} from '../../../lib';
import { sliceScatter } from '../../../lib/tensor/ops/slice';
import {
  distinct,
  expectGradientsMatchFd,
  expectSecondOrderMatchesFd,
  expectThirdOrderMatchesFd,
} from '../../helpers/tensor-fd';

const f64 = (data: Parameters<typeof tensor>[0]) => tensor(data, { dtype: 'float64' });
const sq = (t: Tensor) => t.mul(t);

describe('slice and narrow', () => {
  test('forward, as Python slicing: start/end/step, negative positions, clamping, an empty range', () => {
    const x = arange(10);
    expect(x.slice(0, 2, 9, 3).toArray()).toEqual([2, 5, 8]); // 2, 2+3, 2+6 (11 is past 9)
    expect(x.slice(0, -3).toArray()).toEqual([7, 8, 9]); // -3 is 10-3 = 7
    expect(x.slice(0, 5, 100).toArray()).toEqual([5, 6, 7, 8, 9]); // end clamped to 10
    expect(x.slice(0, 5, 2).shape).toEqual([0]);
    const m = arange(8).reshape([2, 4]); // [[0, 1, 2, 3], [4, 5, 6, 7]]
    expect(m.slice(1, 1, 4, 2).toArray()).toEqual([
      [1, 3],
      [5, 7],
    ]);
    expect(m.slice(-2, 1).toArray()).toEqual([[4, 5, 6, 7]]);
  });

  test('narrow takes length elements from start (start may count from the end)', () => {
    const x = arange(24).reshape([2, 3, 4]);
    // Axis 1, rows 1..2 of each 3×4 block: block 0 rows [4..7], [8..11]; block 1 rows [16..19], [20..23].
    expect(x.narrow(1, 1, 2).toArray()).toEqual([
      [
        [4, 5, 6, 7],
        [8, 9, 10, 11],
      ],
      [
        [16, 17, 18, 19],
        [20, 21, 22, 23],
      ],
    ]);
    expect(narrow(arange(5), 0, -2, 2).toArray()).toEqual([3, 4]);
  });

  test('gradients match finite differences (slice with a step on a middle axis, narrow on the last)', () => {
    const x = distinct([3, 5, 2], 1);
    expectGradientsMatchFd((t) => slice(t, 1, 1, 5, 2), [x]);
    expectGradientsMatchFd((t) => t.narrow(-1, 1, 1), [x]);
    expectSecondOrderMatchesFd((t) => sq(slice(t, 1, 1, 5, 2)), [x]);
    expectSecondOrderMatchesFd((t) => sq(t.narrow(0, 1, 2)), [x]);
  });

  test('the gradient of a slice is sliceScatter, whose own gradient is the slice again (second order through both)', () => {
    const g = f64([
      [1, 2],
      [3, 4],
    ]);
    // Rows 1 and 3 of a zero [4, 2]: [[0, 0], [1, 2], [0, 0], [3, 4]].
    expect(sliceScatter(g, [4, 2], 0, 1, 2).toArray()).toEqual([
      [0, 0],
      [1, 2],
      [0, 0],
      [3, 4],
    ]);
    expectGradientsMatchFd((t) => sliceScatter(t, [4, 2], 0, 1, 2), [distinct([2, 2], 2)]);
    expectSecondOrderMatchesFd((t) => sq(sliceScatter(sq(t), [4, 2], 0, 1, 2)), [distinct([2, 2], 2)]);
    const x = f64([1, 2, 3, 4, 5]).requiresGrad_();
    x.slice(0, 0, 5, 2).sum().backward();
    expect(x.grad!.toArray()).toEqual([1, 0, 1, 0, 1]);
  });

  test('errors name the op, the numbers and the shape', () => {
    expect(() => arange(5).narrow(0, 3, 5)).toThrow(
      'narrow(): start 3 and length 5 do not fit in axis 0 of size 5 (shape [5])',
    );
    expect(() => arange(5).slice(0, 0, 5, 0)).toThrow(RangeError);
    expect(() => arange(5).slice(0, 1.5)).toThrow(TypeError);
    expect(() => tensor(3).slice(0)).toThrow('0-d tensor');
    expect(() => arange(5).slice(1)).toThrow('axis 1 is out of range');
  });
});

describe('indexSelect and indexAdd', () => {
  const x = f64([
    [1, 2, 3],
    [4, 5, 6],
  ]);

  test('forward with repeats, from number arrays, Int32Array and Tensors', () => {
    expect(indexSelect(x, 1, [2, 0, 2]).toArray()).toEqual([
      [3, 1, 3],
      [6, 4, 6],
    ]);
    expect(x.indexSelect(0, new Int32Array([1])).toArray()).toEqual([[4, 5, 6]]);
    expect(x.indexSelect(-1, tensor([1, 1])).toArray()).toEqual([
      [2, 2],
      [5, 5],
    ]);
    // Rows 0 and 0 again add up: 10 + 1 + 3, 20 + 2 + 4.
    expect(
      indexAdd(
        f64([
          [10, 20],
          [30, 40],
        ]),
        0,
        [0, 0],
        f64([
          [1, 2],
          [3, 4],
        ]),
      ).toArray(),
    ).toEqual([
      [14, 26],
      [30, 40],
    ]);
  });

  test('gradients match finite differences, repeated indices included', () => {
    expectGradientsMatchFd((t) => indexSelect(t, 1, [2, 0, 2, 1]), [distinct([2, 3], 3)]);
    expectGradientsMatchFd((t, s) => indexAdd(t, 0, [1, 1, 0], s), [distinct([2, 3], 4), distinct([3, 3], 5)]);
    expectSecondOrderMatchesFd((t) => sq(indexSelect(t, 0, [1, 0, 1])), [distinct([2, 3], 6)]);
    expectSecondOrderMatchesFd((t, s) => sq(indexAdd(t, 1, [2, 2], sq(s))), [distinct([2, 3], 7), distinct([2, 2], 8)]);
  });

  test('an index out of range is a RangeError naming the op, the index and the size', () => {
    expect(() => indexSelect(x, 1, [0, 3])).toThrow(RangeError);
    expect(() => indexSelect(x, 1, [0, 3])).toThrow(
      'indexSelect(): index 3 is out of range for axis 1 of size 3 (input shape [2, 3])',
    );
    expect(() => indexSelect(x, 0, [-1])).toThrow('index -1 is out of range for axis 0 of size 2');
    expect(() => indexSelect(x, 0, [0.5])).toThrow(TypeError);
    expect(() => indexSelect(x, 0, [[0]])).toThrow(
      'indices must be one-dimensional, got shape [1, 1] (input shape [2, 3])',
    );
    expect(() => indexAdd(x, 0, [0], zeros([1, 2], { dtype: 'float64' }))).toThrow(
      'source has shape [1, 2], but x of shape [2, 3] with 1 indices along axis 0 needs [1, 3]',
    );
  });
});

/** torch.gather by its definition, for 3-D x: out[i][j][k] = x[..] with the axis coordinate from index. */
function gatherByDefinition(x: number[][][], axis: number, index: number[][][]): number[][][] {
  return index.map((plane, i) =>
    plane.map((row, j) => row.map((v, k) => (axis === 0 ? x[v][j][k] : axis === 1 ? x[i][v][k] : x[i][j][v]))),
  );
}

describe('gather and scatterAdd', () => {
  test('forward matches the definition of torch.gather along each axis', () => {
    const x = arange(24, undefined, 1, { dtype: 'float64' }).reshape([2, 3, 4]);
    const indexFor = (axis: number): number[][][] =>
      // Shape [2, 2, 3] (smaller than x off the axis); values in range for the axis, with repeats.
      [0, 1].map((i) => [0, 1].map((j) => [0, 1, 2].map((k) => (i + 2 * j + k) % x.shape[axis])));
    for (const axis of [0, 1, 2]) {
      const index = indexFor(axis);
      expect(gather(x, axis, index).toArray()).toEqual(gatherByDefinition(x.toArray() as number[][][], axis, index));
    }
    expect(
      tensor([
        [1, 2],
        [3, 4],
      ])
        .gather(
          1,
          tensor([
            [1, 1],
            [0, 1],
          ]),
        )
        .toArray(),
    ).toEqual([
      [2, 2],
      [3, 4],
    ]);
    // scatterAdd: row 0 gets 1 at column 2 and 5 at column 2 again (6); row 1 gets 7 at column 0.
    expect(
      scatterAdd(
        zeros([2, 3]),
        1,
        [
          [2, 2],
          [0, 1],
        ],
        tensor([
          [1, 5],
          [7, 0],
        ]),
      ).toArray(),
    ).toEqual([
      [0, 0, 6],
      [7, 0, 0],
    ]);
  });

  test('gradients match finite differences along each axis, repeats included', () => {
    const x = distinct([2, 3, 4], 9);
    expectGradientsMatchFd((t) => gather(t, 0, [[[1, 0, 1, 1]], [[0, 0, 1, 0]]]), [x]);
    expectGradientsMatchFd(
      (t) =>
        gather(t, 1, [
          [
            [2, 2, 0, 1],
            [1, 0, 0, 0],
          ],
          [
            [0, 1, 2, 2],
            [2, 2, 2, 2],
          ],
        ]),
      [x],
    );
    expectGradientsMatchFd((t) => gather(t, 2, [[[3, 3]], [[0, 1]]]), [x]);
    const index = [
      [0, 2, 2],
      [1, 1, 0],
    ];
    expectGradientsMatchFd((t, s) => scatterAdd(t, 1, index, s), [distinct([2, 3], 10), distinct([2, 3], 11)]);
    expectSecondOrderMatchesFd((t) => sq(gather(t, 1, [[[2, 2, 0, 1]], [[0, 1, 2, 2]]])), [x]);
    expectSecondOrderMatchesFd(
      (t, s) => sq(scatterAdd(t, 1, index, sq(s))),
      [distinct([2, 3], 12), distinct([2, 3], 13)],
    );
  });

  test('errors: out-of-range index, mismatched dimensions, mismatched source', () => {
    const x = zeros([2, 3]);
    expect(() => gather(x, 1, [[0, 3]])).toThrow(
      'gather(): index 3 is out of range for axis 1 of size 3 (input shape [2, 3])',
    );
    expect(() => gather(x, 0, [0, 1])).toThrow('gather(): index has shape [2] and the input has shape [2, 3]');
    expect(() => gather(x, 1, [[0], [1], [0]])).toThrow('index has shape [3, 1] and the input has shape [2, 3]');
    expect(() => gather(x, 1, [[0, 1], [0]])).toThrow('gather(): index: ragged nested arrays');
    expect(() => scatterAdd(x, 1, [[0, 1]], zeros([1, 3]))).toThrow(
      'scatterAdd(): source has shape [1, 3] and index has shape [1, 2]',
    );
  });
});

describe('concat and stack', () => {
  test('forward along each axis', () => {
    const a = f64([
      [1, 2],
      [3, 4],
    ]);
    const b = f64([[5, 6]]);
    expect(concat([a, b]).toArray()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(concat([a, f64([[7], [8]]), a], -1).toArray()).toEqual([
      [1, 2, 7, 1, 2],
      [3, 4, 8, 3, 4],
    ]);
    expect(stack([a, a.mul(10)]).toArray()).toEqual([
      [
        [1, 2],
        [3, 4],
      ],
      [
        [10, 20],
        [30, 40],
      ],
    ]);
    expect(stack([a, a.mul(10)], 1).toArray()).toEqual([
      [
        [1, 2],
        [10, 20],
      ],
      [
        [3, 4],
        [30, 40],
      ],
    ]);
    expect(stack([a, a.mul(10)], 2).toArray()).toEqual([
      [
        [1, 10],
        [2, 20],
      ],
      [
        [3, 30],
        [4, 40],
      ],
    ]);
    expect(concat([tensor([1]), f64([2])]).dtype).toBe('float64');
  });

  test('gradients match finite differences, each input receiving its own range', () => {
    const inputs = [distinct([2, 1, 3], 14), distinct([2, 3, 3], 15), distinct([2, 2, 3], 16)];
    expectGradientsMatchFd((a, b, c) => concat([a, b, c], 1), inputs);
    expectGradientsMatchFd((a, b) => stack([a, b], 2), [distinct([2, 3], 17), distinct([2, 3], 18)]);
    expectSecondOrderMatchesFd((a, b, c) => sq(concat([a, sq(b), c], 1)), inputs);
    expectSecondOrderMatchesFd((a, b) => sq(stack([a, sq(b)], 0)), [distinct([2, 3], 17), distinct([2, 3], 18)]);
    // A constant among the inputs gets no gradient and does not stop the others'.
    const x = f64([1, 2]).requiresGrad_();
    concat([f64([9]), x])
      .mul(f64([1, 2, 3]))
      .sum()
      .backward();
    expect(x.grad!.toArray()).toEqual([2, 3]);
  });

  test('shape errors print both shapes', () => {
    expect(() => concat([zeros([2, 3]), zeros([2, 4])], 0)).toThrow(
      'concat(): tensors[1] has shape [2, 4] and tensors[0] has shape [2, 3]; every size but that of axis 0 must match',
    );
    expect(() => concat([zeros([2, 3]), zeros([3])], 0)).toThrow(
      'tensors[1] has shape [3] and tensors[0] has shape [2, 3]',
    );
    expect(() => stack([zeros([2, 3]), zeros([3, 2])])).toThrow(
      'stack(): tensors[1] has shape [3, 2] and tensors[0] has shape [2, 3]',
    );
    expect(() => concat([])).toThrow(TypeError);
  });
});

describe('pad', () => {
  test('constant padding, pairs from the last dimension (as F.pad)', () => {
    const x = f64([
      [1, 2],
      [3, 4],
    ]);
    expect(pad(x, [1, 2], 9).toArray()).toEqual([
      [9, 1, 2, 9, 9],
      [9, 3, 4, 9, 9],
    ]);
    // Last dimension by (0, 1), the first by (1, 0).
    expect(x.pad([0, 1, 1, 0]).toArray()).toEqual([
      [0, 0, 0],
      [1, 2, 0],
      [3, 4, 0],
    ]);
    expect(pad(x, []).toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  test('gradients match finite differences; padding is a constant', () => {
    expectGradientsMatchFd((t) => pad(t, [1, 0, 0, 2, 1, 1], -1), [distinct([2, 3, 2], 19)]);
    expectSecondOrderMatchesFd((t) => sq(pad(sq(t), [2, 1, 1, 0], 0.5)), [distinct([2, 3], 20)]);
  });

  test('errors', () => {
    expect(() => pad(zeros([2]), [1, 1, 1, 1])).toThrow('at most one pair per dimension (1 for shape [2])');
    expect(() => pad(zeros([2]), [1])).toThrow(RangeError);
    expect(() => pad(zeros([2]), [-1, 0])).toThrow('use narrow to crop');
  });
});

describe('third order against finite differences (the rule of each rule runs on inputs that depend on x)', () => {
  test.each([
    ['slice', (x: Tensor) => sq(slice(x, 1, 0, 3, 2)), [distinct([2, 3], 32)]],
    ['sliceScatter', (x: Tensor) => sq(sliceScatter(x, [2, 5], 1, 1, 2)), [distinct([2, 2], 33)]],
    ['indexSelect', (x: Tensor) => sq(indexSelect(x, 0, [1, 1, 0])), [distinct([2, 3], 34)]],
    ['indexAdd', (x: Tensor, s: Tensor) => sq(indexAdd(x, 1, [0, 0], s)), [distinct([2, 3], 35), distinct([2, 2], 36)]],
    [
      'gather',
      (x: Tensor) =>
        sq(
          gather(x, 1, [
            [2, 2],
            [0, 1],
          ]),
        ),
      [distinct([2, 3], 37)],
    ],
    [
      'scatterAdd',
      (x: Tensor, s: Tensor) => sq(scatterAdd(x, 0, [[1, 1, 0]], s)),
      [distinct([2, 3], 38), distinct([1, 3], 39)],
    ],
    ['concat', (a: Tensor, b: Tensor) => sq(concat([a, b], 1)), [distinct([2, 1], 40), distinct([2, 2], 41)]],
    ['stack', (a: Tensor, b: Tensor) => sq(stack([a, b], 1)), [distinct([2], 42), distinct([2], 43)]],
    ['pad', (x: Tensor) => sq(pad(x, [1, 0, 0, 1], 2)), [distinct([2, 2], 44)]],
  ] as [string, (...xs: Tensor[]) => Tensor, Tensor[]][])('%s', (_, f, inputs) => {
    expectThirdOrderMatchesFd(f, inputs);
  });
});
