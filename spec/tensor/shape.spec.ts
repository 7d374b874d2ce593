/** Shape arithmetic: sizes, strides, NumPy broadcasting (and its error, which prints both shapes and the op), axis normalisation. */
import {
  assertSameShape,
  broadcastShapes,
  broadcastStrides,
  checkShape,
  formatShape,
  normalizeAxes,
  normalizeAxis,
  sameShape,
  sizeOf,
  stridesOf,
} from '../../lib/tensor/shape';

test('sizeOf, stridesOf, formatShape, sameShape', () => {
  expect([sizeOf([]), sizeOf([2, 3, 4]), sizeOf([3, 0])]).toEqual([1, 24, 0]);
  expect(stridesOf([2, 3, 4])).toEqual([12, 4, 1]);
  expect(stridesOf([])).toEqual([]);
  expect([formatShape([]), formatShape([2, 3])]).toEqual(['[]', '[2, 3]']);
  expect([sameShape([2, 3], [2, 3]), sameShape([2, 3], [3, 2]), sameShape([1], [1, 1])]).toEqual([true, false, false]);
});

describe('broadcastShapes (NumPy rules)', () => {
  test.each([
    [
      [3, 1],
      [1, 4],
      [3, 4],
    ],
    [[4], [3, 4], [3, 4]],
    [[3, 4], [4], [3, 4]],
    [[], [2, 3], [2, 3]],
    [[2, 3], [], [2, 3]],
    [
      [5, 1, 3],
      [4, 1],
      [5, 4, 3],
    ],
    [[1], [0], [0]],
    [
      [2, 0],
      [1, 1],
      [2, 0],
    ],
  ])('%j with %j gives %j', (a, b, out) => expect(broadcastShapes('add', a, b)).toEqual(out));

  test.each([
    [[3], [4], 0],
    [[2, 3], [3, 2], 0],
    [[5, 2, 3], [4, 3], 1],
  ])('%j with %j: a RangeError naming the op, both shapes and the dimension', (a, b, dim) => {
    expect(() => broadcastShapes('mul', a, b)).toThrow(RangeError);
    expect(() => broadcastShapes('mul', a, b)).toThrow(
      `mul(): shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast together (dimension ${dim} of the result:`,
    );
  });
});

test('broadcastStrides reads a repeated dimension with stride 0', () => {
  expect(broadcastStrides([3, 1], [2, 3, 4])).toEqual([0, 1, 0]);
  expect(broadcastStrides([4], [3, 4])).toEqual([0, 1]);
  expect(broadcastStrides([], [2, 2])).toEqual([0, 0]);
  expect(broadcastStrides([2, 3], [2, 3])).toEqual([3, 1]);
});

describe('axes', () => {
  test('normalizeAxis accepts negative axes and refuses others with the range', () => {
    expect([normalizeAxis('sum', -1, 3), normalizeAxis('sum', 0, 3), normalizeAxis('sum', -3, 3)]).toEqual([2, 0, 0]);
    expect(() => normalizeAxis('sum', 3, 3)).toThrow(
      'sum(): axis 3 is out of range for a tensor with 3 dimension(s); use an integer in [-3, 2].',
    );
    expect(() => normalizeAxis('sum', 0.5, 3)).toThrow(RangeError);
  });

  test('normalizeAxes sorts, accepts one axis or a list, and undefined or null for all', () => {
    expect(normalizeAxes('sum', [2, -3], 3)).toEqual([0, 2]);
    expect(normalizeAxes('sum', 1, 3)).toEqual([1]);
    expect(normalizeAxes('sum', undefined, 3)).toEqual([0, 1, 2]);
    expect(normalizeAxes('sum', null, 2)).toEqual([0, 1]);
    expect(() => normalizeAxes('sum', [0, -3], 3)).toThrow('sum(): axis [0, -3] names a dimension twice.');
    expect(() => normalizeAxes('sum', 'x' as unknown as number, 3)).toThrow(
      'sum(): axis must be an integer or an array of integers, got x.',
    );
  });
});

test('checkShape and assertSameShape name the op and the shapes', () => {
  expect(checkShape('zeros', [2, 0])).toEqual([2, 0]);
  expect(() => checkShape('zeros', [2, -1])).toThrow(
    'zeros(): shape must be an array of non-negative integers, got [2,-1].',
  );
  expect(() => checkShape('zeros', [2 ** 16, 2 ** 16])).toThrow(
    'zeros(): shape [65536, 65536] has more than 2^31 - 1 elements.',
  );
  expect(() => assertSameShape('mseLoss', [2], [3])).toThrow('mseLoss(): shapes must match, got [2] and [3].');
});
