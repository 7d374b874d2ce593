/** im2col and col2im against straightforward loops, and col2im as the exact adjoint of im2col. */
import type { ConvGeometry, DType, TypedArray } from '../../../lib/backends/backend';
import { col2im, im2col } from '../../../lib/backends/js/conv';
import { DTYPES, GEOMETRIES, dot, garbage, geometry, inputAt, randomArray } from './kernel-helpers';

const inputLength = (g: ConvGeometry) => g.n * g.c * g.h * g.w;
const colsLength = (g: ConvGeometry) => g.n * g.c * g.kh * g.kw * g.oh * g.ow;

/** cols[b, (ci*kh + ki)*kw + kj, oy*ow + ox] = x[b, ci, iy, ix] or 0 in the padding, one element at a time. */
function referenceIm2col(x: TypedArray, g: ConvGeometry): number[] {
  const cols: number[] = [];
  for (let b = 0; b < g.n; b++)
    for (let ci = 0; ci < g.c; ci++)
      for (let ki = 0; ki < g.kh; ki++)
        for (let kj = 0; kj < g.kw; kj++) {
          for (let oy = 0; oy < g.oh; oy++)
            for (let ox = 0; ox < g.ow; ox++) {
              const at = inputAt(g, oy, ox, ki, kj);
              cols.push(at === null ? 0 : x[((b * g.c + ci) * g.h + at[0]) * g.w + at[1]]);
            }
        }
  return cols;
}

/** x[b, ci, iy, ix] += cols[...] for every column entry in im2col's order, accumulating in an array of x's dtype. */
function referenceCol2im(cols: TypedArray, g: ConvGeometry, dtype: DType): TypedArray {
  const x = dtype === 'float64' ? new Float64Array(inputLength(g)) : new Float32Array(inputLength(g));
  let r = 0;
  for (let b = 0; b < g.n; b++)
    for (let ci = 0; ci < g.c; ci++)
      for (let ki = 0; ki < g.kh; ki++)
        for (let kj = 0; kj < g.kw; kj++) {
          for (let oy = 0; oy < g.oh; oy++)
            for (let ox = 0; ox < g.ow; ox++, r++) {
              const at = inputAt(g, oy, ox, ki, kj);
              if (at !== null) x[((b * g.c + ci) * g.h + at[0]) * g.w + at[1]] += cols[r];
            }
        }
  return x;
}

const describeGeometry = (g: ConvGeometry) =>
  `n${g.n} c${g.c} ${g.h}x${g.w} k${g.kh}x${g.kw} s${g.strideH},${g.strideW} p${g.padH},${g.padW} d${g.dilationH},${g.dilationW} -> ${g.oh}x${g.ow}`;

describe.each(DTYPES)('%s', (dtype) => {
  test.each(GEOMETRIES.map((g) => [describeGeometry(g), g] as const))(
    'im2col %s equals the element-by-element loop',
    (_, g) => {
      const x = randomArray(dtype, inputLength(g), 11);
      const cols = garbage(dtype, colsLength(g));
      im2col(x, g, cols);
      expect(Array.from(cols)).toEqual(referenceIm2col(x, g));
    },
  );

  test.each(GEOMETRIES.map((g) => [describeGeometry(g), g] as const))(
    'col2im %s equals the scatter-add loop, overwriting x',
    (_, g) => {
      const cols = randomArray(dtype, colsLength(g), 12);
      const x = garbage(dtype, inputLength(g));
      col2im(cols, g, x);
      expect(Array.from(x)).toEqual(Array.from(referenceCol2im(cols, g, dtype)));
    },
  );
});

describe('col2im is the adjoint of im2col: <im2col(x), c> = <x, col2im(c)> in float64', () => {
  test.each(GEOMETRIES.map((g) => [describeGeometry(g), g] as const))('%s, integers (exactly)', (_, g) => {
    const x = randomArray('float64', inputLength(g), 21, true);
    const c = randomArray('float64', colsLength(g), 22, true);
    const cols = new Float64Array(colsLength(g));
    const back = new Float64Array(inputLength(g));
    im2col(x, g, cols);
    col2im(c, g, back);
    expect(dot(cols, c)).toBe(dot(x, back));
    // and the identity is not vacuous: some entries are shared or dropped by the windows
    expect(dot(cols, c)).not.toBe(0);
  });

  test('reals, to 1e-12 relative', () => {
    const g = geometry({ n: 2, c: 3, h: 33, w: 7, kh: 3, kw: 3, stride: [2, 1], pad: [1, 1], dilation: [1, 2] });
    const x = randomArray('float64', inputLength(g), 31);
    const c = randomArray('float64', colsLength(g), 32);
    const cols = new Float64Array(colsLength(g));
    const back = new Float64Array(inputLength(g));
    im2col(x, g, cols);
    col2im(c, g, back);
    const left = dot(cols, c);
    expect(Math.abs(left - dot(x, back))).toBeLessThan(1e-12 * Math.abs(left));
  });
});

test('the doc comment examples: im2col of a 3×3 image with a 2×2 kernel, col2im of ones counts windows', () => {
  const g = geometry({ h: 3, w: 3, kh: 2, kw: 2 });
  const cols = new Float64Array(16);
  im2col(new Float64Array([1, 2, 3, 4, 5, 6, 7, 8, 9]), g, cols);
  expect(Array.from(cols)).toEqual([1, 2, 4, 5, 2, 3, 5, 6, 4, 5, 7, 8, 5, 6, 8, 9]);
  const x = new Float64Array(9);
  col2im(new Float64Array(16).fill(1), g, x);
  expect(Array.from(x)).toEqual([1, 2, 1, 2, 4, 2, 1, 2, 1]);
});
