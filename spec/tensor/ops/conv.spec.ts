/**
 * conv2d, maxPool2d and avgPool2d: forward values worked out by hand (each computation written
 * beside it) and against a direct six-loop convolution, gradients of first and second order
 * against central finite differences in float64, ties and NaN in max pooling, and errors.
 */
import {
  type AvgPool2dOptions,
  type MaxPool2dOptions,
  type Pair,
  type Tensor,
  arange,
  avgPool2d,
  conv2d,
  maxPool2d,
  noGrad,
  ones,
  tensor,
  zeros,
} from '../../../lib';
import { col2im, im2col, windowGeometry } from '../../../lib/tensor/ops/conv';
import {
  distinct,
  expectGradientsMatchFd,
  expectSecondOrderMatchesFd,
  expectThirdOrderMatchesFd,
  weights,
} from '../../helpers/tensor-fd';

const f64 = (data: Parameters<typeof tensor>[0]) => tensor(data, { dtype: 'float64' });
const sq = (t: Tensor) => t.mul(t);
/** The 1×1×3×3 image [[1, 2, 3], [4, 5, 6], [7, 8, 9]]. */
const image = () => arange(1, 10, 1, { dtype: 'float64' }).reshape([1, 1, 3, 3]);
/** The 2×2 kernel [[1, 2], [3, 4]] as weight [1, 1, 2, 2]. */
const kernel = () =>
  f64([
    [
      [
        [1, 2],
        [3, 4],
      ],
    ],
  ]);

/** Convolution by its definition (PyTorch's cross-correlation), six loops, no im2col. */
function directConv(
  x: Tensor,
  w: Tensor,
  b: Tensor | null,
  stride: number,
  padding: number,
  dilation: number,
  groups: number,
): number[] {
  const [n, c, h, wd] = x.shape;
  const [o, cg, kh, kw] = w.shape;
  const oh = Math.floor((h + 2 * padding - dilation * (kh - 1) - 1) / stride) + 1;
  const ow = Math.floor((wd + 2 * padding - dilation * (kw - 1) - 1) / stride) + 1;
  const og = o / groups;
  const out: number[] = [];
  for (let b0 = 0; b0 < n; b0++) {
    for (let oc = 0; oc < o; oc++) {
      const group = Math.floor(oc / og);
      for (let oy = 0; oy < oh; oy++) {
        for (let ox = 0; ox < ow; ox++) {
          let acc = b === null ? 0 : b.data[oc];
          for (let ic = 0; ic < cg; ic++) {
            for (let ki = 0; ki < kh; ki++) {
              for (let kj = 0; kj < kw; kj++) {
                const y = oy * stride - padding + ki * dilation;
                const xx = ox * stride - padding + kj * dilation;
                if (y < 0 || y >= h || xx < 0 || xx >= wd) continue;
                acc +=
                  x.data[((b0 * c + group * cg + ic) * h + y) * wd + xx] * w.data[((oc * cg + ic) * kh + ki) * kw + kj];
              }
            }
          }
          out.push(acc);
        }
      }
    }
  }
  return out;
}

describe('conv2d', () => {
  test('a 1×1×3×3 image with a 2×2 kernel, worked by hand', () => {
    // Window at (0,0): 1·1 + 2·2 + 4·3 + 5·4 = 37; (0,1): 2 + 6 + 15 + 24 = 47;
    // (1,0): 4 + 10 + 21 + 32 = 67; (1,1): 5 + 12 + 24 + 36 = 77. Bias 0.5 added to each.
    expect(conv2d(image(), kernel()).toArray()).toEqual([
      [
        [
          [37, 47],
          [67, 77],
        ],
      ],
    ]);
    expect(conv2d(image(), kernel(), f64([0.5])).toArray()).toEqual([
      [
        [
          [37.5, 47.5],
          [67.5, 77.5],
        ],
      ],
    ]);
    // Unbatched [C, H, W] input gives [O, oh, ow].
    expect(conv2d(image().reshape([1, 3, 3]), kernel()).toArray()).toEqual([
      [
        [37, 47],
        [67, 77],
      ],
    ]);
  });

  test('stride, padding and dilation, worked by hand', () => {
    // Padding 1 makes a 5×5 image with a zero border; stride 2 gives oh = floor((3 + 2 - 1 - 1) / 2) + 1 = 2.
    // (0,0) covers padded rows 0-1, cols 0-1: only image 1 at kernel position 4 -> 4.
    // (0,1) covers padded rows 0-1, cols 2-3: image 2 (kernel 3) and 3 (kernel 4) -> 6 + 12 = 18.
    // (1,0) covers padded rows 2-3, cols 0-1: image 4 (kernel 2) and 7 (kernel 4) -> 8 + 28 = 36.
    // (1,1) covers padded rows 2-3, cols 2-3: 5·1 + 6·2 + 8·3 + 9·4 = 77.
    expect(conv2d(image(), kernel(), null, { stride: 2, padding: 1 }).toArray()).toEqual([
      [
        [
          [4, 18],
          [36, 77],
        ],
      ],
    ]);
    // Dilation 2 spreads the kernel over the corners: 1·1 + 3·2 + 7·3 + 9·4 = 64.
    expect(conv2d(image(), kernel(), { dilation: 2 }).toArray()).toEqual([[[[64]]]]);
    // Asymmetric stride [1, 2] and padding [0, 1]: oh = 2, ow = floor((3 + 2 - 2) / 2) + 1 = 2.
    // (0,0): padded cols 0-1 = zero, image col 0 -> 1·2 + 4·4 = 18; (0,1): cols 2-3 = image cols 1-2 -> 2 + 6 + 15 + 24 = 47;
    // (1,0): 4·2 + 7·4 = 36; (1,1): 5 + 12 + 24 + 36 = 77.
    expect(conv2d(image(), kernel(), { stride: [1, 2], padding: [0, 1] }).toArray()).toEqual([
      [
        [
          [18, 47],
          [36, 77],
        ],
      ],
    ]);
  });

  test("padding 'same' keeps H×W (odd extra at the bottom/right, as PyTorch); 'valid' is no padding", () => {
    // 2×2 kernel: one extra row and column of zeros at the bottom and right. Window (0,2): 3·1 + 6·3 = 21;
    // (1,2): 6·1 + 9·3 = 33; (2,0): 7·1 + 8·2 = 23; (2,1): 8·1 + 9·2 = 26; (2,2): 9·1 = 9.
    expect(conv2d(image(), kernel(), { padding: 'same' }).toArray()).toEqual([
      [
        [
          [37, 47, 21],
          [67, 77, 33],
          [23, 26, 9],
        ],
      ],
    ]);
    const w3 = weights([2, 1, 3, 3], 11);
    expect(conv2d(image(), w3, { padding: 'same' }).toArray()).toEqual(conv2d(image(), w3, { padding: 1 }).toArray());
    expect(conv2d(image(), kernel(), { padding: 'valid' }).toArray()).toEqual([
      [
        [
          [37, 47],
          [67, 77],
        ],
      ],
    ]);
    expectGradientsMatchFd(
      (x, w) => conv2d(x, w, { padding: 'same', dilation: [1, 2] }),
      [distinct([1, 2, 4, 5], 12), distinct([3, 2, 2, 2], 13)],
    );
    expect(() => conv2d(image(), kernel(), { padding: 'same', stride: 2 })).toThrow("padding 'same' needs stride 1");
  });

  test('groups, worked by hand: each output channel sees only its group of input channels', () => {
    const x = f64([
      [
        [
          [1, 2],
          [3, 4],
        ],
        [
          [5, 6],
          [7, 8],
        ],
      ],
    ]); // channels [[1,2],[3,4]] and [[5,6],[7,8]]
    // groups 2, 1×1 kernels 10 and 100: channel 0 times 10, channel 1 times 100.
    expect(conv2d(x, f64([[[[10]]], [[[100]]]]), { groups: 2 }).toArray()).toEqual([
      [
        [
          [10, 20],
          [30, 40],
        ],
        [
          [500, 600],
          [700, 800],
        ],
      ],
    ]);
    // groups 2 with two outputs per group (kernels 1, 2 on channel 0; 3, 4 on channel 1).
    const out = conv2d(x, f64([[[[1]]], [[[2]]], [[[3]]], [[[4]]]]), { groups: 2 }).toArray();
    expect(out).toEqual([
      [
        [
          [1, 2],
          [3, 4],
        ],
        [
          [2, 4],
          [6, 8],
        ],
        [
          [15, 18],
          [21, 24],
        ],
        [
          [20, 24],
          [28, 32],
        ],
      ],
    ]);
    // groups 1, one 2×2 kernel of ones over both channels: the sum of everything, 36.
    expect(conv2d(x, ones([1, 2, 2, 2], { dtype: 'float64' })).toArray()).toEqual([[[[36]]]]);
  });

  test.each([
    [1, 0, 1, 1],
    [2, 1, 1, 1],
    [1, 2, 2, 1],
    [2, 1, 2, 2],
    [1, 1, 1, 4],
  ])(
    'matches the direct six-loop convolution: stride %i, padding %i, dilation %i, groups %i',
    (stride, padding, dilation, groups) => {
      const x = weights([2, 4, 6, 5], 1);
      const w = weights([4, 4 / groups, 3, 2], 2);
      const b = weights([4], 3);
      const out = conv2d(x, w, b, { stride, padding, dilation, groups });
      const expected = directConv(x, w, b, stride, padding, dilation, groups);
      expect(out.size).toBe(expected.length);
      Array.from(out.data).forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(1e-12));
    },
  );

  test.each([
    [{}],
    [{ stride: 2, padding: 1 }],
    [{ dilation: 2, padding: [0, 1] as [number, number] }],
    [{ groups: 2, stride: [2, 1] as [number, number] }],
  ])('gradients in x, weight and bias match finite differences, first and second order (%j)', (options) => {
    const groups = (options as { groups?: number }).groups ?? 1;
    const inputs = [distinct([2, 4, 5, 4], 4), distinct([4, 4 / groups, 2, 3], 5), distinct([4], 6)];
    expectGradientsMatchFd((x, w, b) => conv2d(x, w, b, options), inputs);
    // Squared, so every second derivative (x-x through im2col/col2im, x-w through matmul) is exercised.
    expectSecondOrderMatchesFd((x, w, b) => sq(conv2d(x, w, b, options)), inputs);
  });

  test('im2col and col2im are adjoint: <im2col(x), c> = <x, col2im(c)>', () => {
    const x = weights([2, 3, 5, 4], 7);
    const g = windowGeometry('test', x.shape, [2, 3], [2, 1], [1, 1], [2, 1], [1, 3, 2, 3], 'kernel');
    const c = weights([2, 3 * 2 * 3, g.oh * g.ow], 8);
    const left = im2col(x, g).mul(c).sum().item();
    const right = x.mul(col2im(c, g)).sum().item();
    // Both sides sum the same products in different orders: equal to rounding.
    const scale = im2col(x, g).mul(c).abs().sum().item();
    expect(scale).toBeGreaterThan(1);
    expect(Math.abs(left - right)).toBeLessThan(1e-14 * scale);
  });

  test('float32 input gives float32 output close to the float64 result', () => {
    const out = conv2d(image().toType('float32'), kernel().toType('float32'));
    expect(out.dtype).toBe('float32');
    expect(out.toArray()).toEqual([
      [
        [
          [37, 47],
          [67, 77],
        ],
      ],
    ]);
  });

  test('stop-gradient holds through conv2d, at first and second order', () => {
    const x = image().requiresGrad_();
    const w = kernel().requiresGrad_();
    // A detached weight gets nothing; x gets the kernel summed over the windows that cover each pixel.
    conv2d(x, w.detach()).sum().backward();
    expect(w.grad).toBeNull();
    expect(x.grad!.toArray()).toEqual([
      [
        [
          [1, 3, 2],
          [4, 10, 6],
          [3, 7, 4],
        ],
      ],
    ]);
    // Second order: d/dw of sum(dL/dx) where L = sum(conv2d(x, w)): through the detached copy, nothing; through w, the window counts.
    x.zeroGrad();
    conv2d(x, w).sum().backward(undefined, { createGraph: true });
    const gx = x.grad!;
    expect(w.grad!.toArray()).toEqual([
      [
        [
          [12, 16],
          [24, 28],
        ],
      ],
    ]); // dL/dw: the sums 1+2+4+5, 2+3+5+6, 4+5+7+8, 5+6+8+9
    x.zeroGrad();
    w.zeroGrad();
    gx.sum().backward();
    // Each kernel element meets 4 pixels (2×2 windows), so d/dw of the sum of x's gradient is 4 each.
    expect(w.grad!.toArray()).toEqual([
      [
        [
          [4, 4],
          [4, 4],
        ],
      ],
    ]);
  });

  test('changing the weight in place after the forward makes backward throw instead of using stale values', () => {
    const w = kernel().requiresGrad_();
    const y = conv2d(image().requiresGrad_(), w).sum();
    noGrad(() => w.add_(1));
    expect(() => y.backward()).toThrow('was modified by an in-place operation');
  });

  test('shape errors print both shapes and the op', () => {
    expect(() => conv2d(zeros([1, 3, 5, 5]), zeros([4, 2, 3, 3]))).toThrow(
      'conv2d(): the input has 3 channels, but the weight expects 2 per group × 1 group(s) = 2 (input [1, 3, 5, 5], weight [4, 2, 3, 3])',
    );
    expect(() => conv2d(zeros([1, 1, 2, 2]), zeros([1, 1, 3, 3]))).toThrow(
      'conv2d(): the weight [1, 1, 3, 3] spans 3×3 (with dilation 1×1), larger than the input [1, 1, 2, 2]',
    );
    expect(() => conv2d(zeros([1, 4, 5, 5]), zeros([3, 2, 3, 3]), { groups: 2 })).toThrow(
      'groups (2) must divide both the input channels (4) and the output channels (3) (input [1, 4, 5, 5], weight [3, 2, 3, 3])',
    );
    expect(() => conv2d(zeros([5, 5]), zeros([1, 1, 3, 3]))).toThrow('got shape [5, 5] with weight [1, 1, 3, 3]');
    expect(() => conv2d(zeros([1, 1, 5, 5]), zeros([1, 3, 3]))).toThrow(
      'weight must be [out channels, in channels / groups, kh, kw] (input [1, 1, 5, 5], weight [1, 3, 3])',
    );
    expect(() => conv2d(zeros([1, 1, 5, 5]), zeros([2, 1, 3, 3]), zeros([3]))).toThrow('bias must have shape [2]');
    expect(() => conv2d(zeros([1, 1, 5, 5]), zeros([1, 1, 3, 3]), { stride: 0 })).toThrow(
      'stride must be an integer >= 1',
    );
  });
});

describe('maxPool2d', () => {
  const grid = () =>
    f64([
      [
        [
          [1, 5, 2, 0],
          [3, 4, 8, 6],
          [7, 1, 0, 2],
          [9, 3, 4, 5],
        ],
      ],
    ]);

  test('forward, worked by hand: windows, stride, padding, dilation', () => {
    // 2×2 windows, stride 2: max(1,5,3,4) = 5, max(2,0,8,6) = 8, max(7,1,9,3) = 9, max(0,2,4,5) = 5.
    expect(maxPool2d(grid(), 2).toArray()).toEqual([
      [
        [
          [5, 8],
          [9, 5],
        ],
      ],
    ]);
    // 3×3 windows, stride 1: rows 0-2 cols 0-2 -> 8, cols 1-3 -> 8; rows 1-3 cols 0-2 -> 9, cols 1-3 -> 8.
    expect(maxPool2d(grid(), 3, { stride: 1 }).toArray()).toEqual([
      [
        [
          [8, 8],
          [9, 8],
        ],
      ],
    ]);
    // Padding 1 (ignored, -Infinity), 2×2 stride 2: windows cover [pad,1] -> 1; [5,2] -> 5; [0,pad] -> 0;
    // rows 1-2: [3,7] -> 7; [4,8,1,0] -> 8; [6,2] -> 6; row 3: [9] -> 9; [3,4] -> 4; [5] -> 5.
    expect(maxPool2d(grid(), 2, { padding: 1 }).toArray()).toEqual([
      [
        [
          [1, 5, 0],
          [7, 8, 6],
          [9, 4, 5],
        ],
      ],
    ]);
    // Dilation 2, 2×2 kernel: corners of 3×3 windows, stride 1: max(1,2,7,0) = 7, max(5,0,1,2) = 5, max(3,8,9,4) = 9, max(4,6,3,5) = 6.
    expect(maxPool2d(grid(), 2, { stride: 1, dilation: 2 }).toArray()).toEqual([
      [
        [
          [7, 5],
          [9, 6],
        ],
      ],
    ]);
  });

  test('ties: the gradient goes to the first maximum of each window in row-major order', () => {
    const x = ones([1, 1, 2, 3], { dtype: 'float64', requiresGrad: true });
    // Windows (stride 1) over cols 0-1 and 1-2: all ties, so the first element of each, (0,0) and (0,1).
    maxPool2d(x, 2, { stride: 1 }).sum().backward();
    expect(x.grad!.toArray()).toEqual([
      [
        [
          [1, 1, 0],
          [0, 0, 0],
        ],
      ],
    ]);
  });

  test('NaN is the maximum: it propagates, and the gradient goes to it', () => {
    const x = f64([
      [
        [
          [1, NaN],
          [3, 2],
        ],
      ],
    ]).requiresGrad_();
    const out = maxPool2d(x, 2);
    expect(Number.isNaN(out.item())).toBe(true);
    out.sum().backward();
    expect(x.grad!.toArray()).toEqual([
      [
        [
          [0, 1],
          [0, 0],
        ],
      ],
    ]);
  });

  test.each([
    [2, {}],
    [3, { stride: 1, padding: 1 }],
    [[2, 3], { stride: [1, 2], dilation: [2, 1] }],
  ] as [Pair, MaxPool2dOptions][])(
    'gradients match finite differences, first and second order (kernel %j, %j)',
    (k, options) => {
      const x = distinct([2, 3, 5, 6], 9);
      expectGradientsMatchFd((t) => maxPool2d(t, k, options), [x]);
      expectSecondOrderMatchesFd((t) => sq(maxPool2d(sq(t), k, options)), [x]);
    },
  );

  test('third order through max pooling, exact: 6 w[o] u[a] v[a] at each arg-max a', () => {
    // L = sum(w * m^3) with m = maxPool2d(x, 2) picking x[a(o)] for window o. Then
    // d/dx sum(v * d/dx sum(u * dL/dx)) is 6 w[o] u[a] v[a] at each arg-max a(o), 0 elsewhere.
    const x = distinct([1, 2, 4, 4], 21).requiresGrad_();
    const w = weights([1, 2, 2, 2], 22);
    const u = weights([1, 2, 4, 4], 23);
    const v = weights([1, 2, 4, 4], 24);
    const m = maxPool2d(x, 2);
    m.pow(3).mul(w).sum().backward(undefined, { createGraph: true });
    const g1 = x.grad!;
    x.zeroGrad();
    g1.mul(u).sum().backward(undefined, { createGraph: true });
    const g2 = x.grad!;
    x.zeroGrad();
    g2.mul(v).sum().backward();
    const expected = new Float64Array(x.size);
    Array.from(m.data).forEach((value, o) => {
      const a = Array.from(x.data).indexOf(value);
      expected[a] = 6 * w.data[o] * u.data[a] * v.data[a];
    });
    Array.from(x.grad!.data).forEach((g, i) => expect(Math.abs(g - expected[i])).toBeLessThan(1e-12));
    expect(expected.filter((e) => e !== 0).length).toBe(8);
  });

  test('op names: the output is maxPool2d, its gradient under createGraph maxPool2dBackward', () => {
    const x = distinct([1, 1, 2, 2], 25).requiresGrad_();
    const y = maxPool2d(x, 2);
    expect(y.op).toBe('maxPool2d');
    y.mul(y).sum().backward(undefined, { createGraph: true });
    expect(x.grad!.op).toBe('maxPool2dBackward');
    expect(avgPool2d(x, 2).op).toBe('avgPool2d');
    expect(x.slice(2, 1).op).toBe('slice');
  });

  test('an unbatched [C, H, W] input gives [C, oh, ow]', () => {
    expect(maxPool2d(grid().reshape([1, 4, 4]), 2).toArray()).toEqual([
      [
        [5, 8],
        [9, 5],
      ],
    ]);
  });

  test('errors', () => {
    expect(() => maxPool2d(zeros([1, 1, 4, 4]), 2, { padding: 2 })).toThrow(
      'maxPool2d(): padding 2×2 must be at most half the kernel 2×2',
    );
    expect(() => maxPool2d(zeros([1, 1, 2, 2]), 3)).toThrow(
      'maxPool2d(): the kernel [3, 3] spans 3×3 (with dilation 1×1), larger than the input [1, 1, 2, 2]',
    );
    expect(() => maxPool2d(zeros([4, 4]), 2)).toThrow('got shape [4, 4]');
  });
});

describe('avgPool2d', () => {
  test('forward, worked by hand (padding counts in the average, as PyTorch)', () => {
    // 2×2 windows, stride 1 over 1..9: (1+2+4+5)/4 = 3, (2+3+5+6)/4 = 4, (4+5+7+8)/4 = 6, (5+6+8+9)/4 = 7.
    expect(avgPool2d(image(), 2, { stride: 1 }).toArray()).toEqual([
      [
        [
          [3, 4],
          [6, 7],
        ],
      ],
    ]);
    // Padding 1, 2×2 stride 2: each window divides by 4 (padding included): 1/4, (2+3)/4, (4+7)/4, (5+6+8+9)/4.
    expect(avgPool2d(image(), 2, { padding: 1 }).toArray()).toEqual([
      [
        [
          [0.25, 1.25],
          [2.75, 7],
        ],
      ],
    ]);
  });

  test.each([
    [2, {}],
    [3, { stride: 1, padding: 1 }],
    [[2, 3], { stride: [1, 2] }],
  ] as [Pair, AvgPool2dOptions][])(
    'gradients match finite differences, first and second order (kernel %j, %j)',
    (k, options) => {
      const x = distinct([2, 2, 5, 6], 10);
      expectGradientsMatchFd((t) => avgPool2d(t, k, options), [x]);
      expectSecondOrderMatchesFd((t) => sq(avgPool2d(sq(t), k, options)), [x]);
    },
  );

  test('errors', () => {
    expect(() => avgPool2d(zeros([1, 1, 4, 4]), 2, { padding: 2 })).toThrow(
      'avgPool2d(): padding 2×2 must be at most half the kernel 2×2',
    );
    expect(() => avgPool2d(zeros([1, 1, 4, 4]), 0)).toThrow('kernel must be an integer >= 1');
  });
});

describe('third order against finite differences (the rule of each rule runs on inputs that depend on x)', () => {
  test.each([
    [
      'conv2d',
      (x: Tensor, w: Tensor) => sq(conv2d(x, w, null, { stride: [1, 2], padding: 1, dilation: [2, 1] })),
      [distinct([1, 2, 4, 5], 26), distinct([2, 2, 2, 2], 27)],
    ],
    [
      'conv2d with groups',
      (x: Tensor, w: Tensor) => sq(conv2d(x, w, null, { groups: 2 })),
      [distinct([2, 2, 3, 3], 28), distinct([4, 1, 2, 2], 29)],
    ],
    ['maxPool2d', (x: Tensor) => sq(maxPool2d(x, 2, { stride: 1 })), [distinct([1, 2, 3, 4], 30)]],
    ['avgPool2d', (x: Tensor) => sq(avgPool2d(x, 2, { stride: 1, padding: 1 })), [distinct([1, 2, 3, 4], 31)]],
  ] as [string, (...xs: Tensor[]) => Tensor, Tensor[]][])('%s', (_, f, inputs) => {
    expectThirdOrderMatchesFd(f, inputs);
  });
});
