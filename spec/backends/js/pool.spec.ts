/** Max and average pooling and their backward kernels against straightforward loops. */
import type { ConvGeometry, DType, TypedArray } from '../../../lib/backends/backend';
import { avgPool2d, avgPool2dBackward, maxPool2d, maxPool2dBackward } from '../../../lib/backends/js/pool';
import { DTYPES, GEOMETRIES, dot, garbage, geometry, inputAt, randomArray } from './kernel-helpers';

const planes = (g: ConvGeometry) => g.n * g.c;
const inputLength = (g: ConvGeometry) => planes(g) * g.h * g.w;
const outputLength = (g: ConvGeometry) => planes(g) * g.oh * g.ow;

/** Each window's in-range positions as flat indices iy*w + ix, in row-major window order. */
function windowPositions(g: ConvGeometry, oy: number, ox: number): number[] {
  const positions: number[] = [];
  for (let ki = 0; ki < g.kh; ki++)
    for (let kj = 0; kj < g.kw; kj++) {
      const at = inputAt(g, oy, ox, ki, kj);
      if (at !== null) positions.push(at[0] * g.w + at[1]);
    }
  return positions;
}

/** PyTorch's rule: the first strictly greater value wins, and any NaN takes over (the last NaN). */
function referenceMaxPool(x: TypedArray, g: ConvGeometry): { out: number[]; argmax: number[] } {
  const out: number[] = [];
  const argmax: number[] = [];
  for (let p = 0; p < planes(g); p++)
    for (let oy = 0; oy < g.oh; oy++)
      for (let ox = 0; ox < g.ow; ox++) {
        const positions = windowPositions(g, oy, ox);
        let best = positions.length > 0 ? x[p * g.h * g.w + positions[0]] : -Infinity;
        let index = positions.length > 0 ? positions[0] : -1;
        for (const at of positions.slice(1)) {
          const v = x[p * g.h * g.w + at];
          if (v > best || Number.isNaN(v)) [best, index] = [v, at];
        }
        out.push(best);
        argmax.push(index);
      }
  return { out, argmax };
}

/** Window sums (in-range values, row-major, in float64) over kh*kw, padding counted. */
function referenceAvgPool(x: TypedArray, g: ConvGeometry, dtype: DType): number[] {
  const out: number[] = [];
  for (let p = 0; p < planes(g); p++)
    for (let oy = 0; oy < g.oh; oy++)
      for (let ox = 0; ox < g.ow; ox++) {
        let sum = 0;
        for (const at of windowPositions(g, oy, ox)) sum += x[p * g.h * g.w + at];
        out.push(dtype === 'float64' ? sum / (g.kh * g.kw) : Math.fround(sum / (g.kh * g.kw)));
      }
  return out;
}

const describeGeometry = (g: ConvGeometry) =>
  `n${g.n} c${g.c} ${g.h}x${g.w} k${g.kh}x${g.kw} s${g.strideH},${g.strideW} p${g.padH},${g.padW} d${g.dilationH},${g.dilationW}`;
const CASES = GEOMETRIES.map((g) => [describeGeometry(g), g] as const);

describe.each(DTYPES)('%s', (dtype) => {
  test.each(CASES)('maxPool2d %s: values and argmax as the loop (random data)', (_, g) => {
    const x = randomArray(dtype, inputLength(g), 41);
    const out = garbage(dtype, outputLength(g));
    const argmax = garbage(dtype, outputLength(g));
    maxPool2d(x, g, out, argmax);
    const expected = referenceMaxPool(x, g);
    expect(Array.from(out)).toEqual(expected.out);
    expect(Array.from(argmax)).toEqual(expected.argmax);
  });

  test.each(CASES)('maxPool2d %s: ties (small integers) go to the first position, NaNs win', (_, g) => {
    const x = randomArray(dtype, inputLength(g), 42, true).map((v) => (v === 4 ? NaN : v >= 0 ? 1 : v));
    const out = garbage(dtype, outputLength(g));
    const argmax = garbage(dtype, outputLength(g));
    maxPool2d(x, g, out, argmax);
    const expected = referenceMaxPool(x, g);
    expect(Array.from(out)).toEqual(expected.out);
    expect(Array.from(argmax)).toEqual(expected.argmax);
  });

  test.each(CASES)('maxPool2dBackward %s: each gradient lands on its argmax, overlaps add', (_, g) => {
    const x = randomArray(dtype, inputLength(g), 43, true);
    const out = new Float64Array(outputLength(g));
    const argmax = dtype === 'float64' ? new Float64Array(outputLength(g)) : new Float32Array(outputLength(g));
    maxPool2d(x, g, out, argmax);
    const grad = randomArray(dtype, outputLength(g), 44);
    const gradX = garbage(dtype, inputLength(g));
    maxPool2dBackward(grad, argmax, g, gradX);
    const expected = dtype === 'float64' ? new Float64Array(inputLength(g)) : new Float32Array(inputLength(g));
    for (let o = 0; o < outputLength(g); o++) {
      const plane = Math.floor(o / (g.oh * g.ow));
      if (argmax[o] >= 0) expected[plane * g.h * g.w + argmax[o]] += grad[o];
    }
    expect(Array.from(gradX)).toEqual(Array.from(expected));
  });

  test.each(CASES)('avgPool2d %s: window sums over kh*kw, padding counted as zeros', (_, g) => {
    const x = randomArray(dtype, inputLength(g), 45);
    const out = garbage(dtype, outputLength(g));
    avgPool2d(x, g, out);
    expect(Array.from(out)).toEqual(referenceAvgPool(x, g, dtype));
  });

  test.each(CASES)('avgPool2dBackward %s: grad / (kh*kw) scattered over each window', (_, g) => {
    const grad = randomArray(dtype, outputLength(g), 46);
    const gradX = garbage(dtype, inputLength(g));
    avgPool2dBackward(grad, g, gradX);
    const expected = dtype === 'float64' ? new Float64Array(inputLength(g)) : new Float32Array(inputLength(g));
    let o = 0;
    for (let p = 0; p < planes(g); p++)
      for (let oy = 0; oy < g.oh; oy++)
        for (let ox = 0; ox < g.ow; ox++, o++) {
          for (const at of windowPositions(g, oy, ox)) expected[p * g.h * g.w + at] += grad[o] / (g.kh * g.kw);
        }
    expect(Array.from(gradX)).toEqual(Array.from(expected));
  });
});

test.each(CASES)('avgPool2dBackward is the adjoint of avgPool2d %s (float64, to 1e-12)', (_, g) => {
  const x = randomArray('float64', inputLength(g), 51);
  const grad = randomArray('float64', outputLength(g), 52);
  const out = new Float64Array(outputLength(g));
  const gradX = new Float64Array(inputLength(g));
  avgPool2d(x, g, out);
  avgPool2dBackward(grad, g, gradX);
  const left = dot(out, grad);
  expect(Math.abs(left - dot(x, gradX))).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(left)));
});

test('NaN propagates as in PyTorch: the window max is NaN and its index the last NaN; -Infinity windows keep the first position', () => {
  const g = geometry({ h: 2, w: 3, kh: 2, kw: 3 });
  const out = new Float64Array(1);
  const argmax = new Float64Array(1);
  maxPool2d(new Float64Array([1, NaN, 3, NaN, 5, 0]), g, out, argmax);
  expect(out[0]).toBeNaN();
  expect(argmax[0]).toBe(3);
  maxPool2d(new Float64Array(6).fill(-Infinity), g, out, argmax);
  expect([out[0], argmax[0]]).toEqual([-Infinity, 0]);
});

test('padding counts in the average: a 3×3 window at a corner with padding 1 divides 4 values by 9', () => {
  const g = geometry({ h: 2, w: 2, kh: 3, kw: 3, pad: [1, 1], stride: [2, 2] });
  const out = new Float64Array(1);
  avgPool2d(new Float64Array([1, 2, 3, 4]), g, out);
  expect(out[0]).toBe(10 / 9);
});

test('the doc comment examples', () => {
  const g = geometry({ h: 2, w: 2, kh: 2, kw: 2, stride: [2, 2] });
  const out = new Float64Array(1);
  const argmax = new Float64Array(1);
  maxPool2d(new Float64Array([1, 4, 4, 2]), g, out, argmax);
  expect([out[0], argmax[0]]).toEqual([4, 1]);
  const gradX = new Float64Array(4);
  maxPool2dBackward(new Float64Array([5]), argmax, g, gradX);
  expect(Array.from(gradX)).toEqual([0, 5, 0, 0]);
  avgPool2d(new Float64Array([1, 4, 4, 2]), g, out);
  expect(out[0]).toBe(2.75);
  avgPool2dBackward(new Float64Array([8]), g, gradX);
  expect(Array.from(gradX)).toEqual([2, 2, 2, 2]);
});
