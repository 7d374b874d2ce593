/**
 * 2-D convolution over NCHW tensors, as PyTorch's F.conv2d (stride, padding, dilation,
 * groups), built from differentiable ops: `im2col` unrolls every window into a column,
 * `col2im` sums columns back into an image, and each is the other's gradient (they are
 * adjoint linear maps). conv2d is then a matrix product of the reshaped weight with im2col(x),
 * plus bias, so gradients of every order come from the rules of im2col, col2im and matmul.
 */
import { describeForError } from '../../engine/errors';
import type { ConvGeometry } from '../../backends/backend';
import { currentBackend } from '../backend-choice';
import { checkTensor, tensorRule } from '../define';
import { dataOf, empty, recordTensor } from '../record';
import { type Shape, formatShape } from '../shape';
import { Tensor } from '../tensor';
import { add } from './arithmetic';
import { matmul } from './matmul';
import { reshape } from './shape';
import { pad } from './slice';
import { tagForExport } from '../trace';

/** A size given once for both spatial dimensions, or as [height, width]. */
export type Pair = number | readonly [number, number];

/** Options of `conv2d`, as PyTorch's F.conv2d. */
export interface Conv2dOptions {
  /** Step between windows (default 1). */
  stride?: Pair;
  /**
   * Zeros added on each side of the input (default 0); 'valid' is 0, and 'same' (stride 1
   * only) keeps the input's height and width, putting an odd extra row or column at the
   * bottom or right, as PyTorch does.
   */
  padding?: Pair | 'same' | 'valid';
  /** Spacing between kernel elements (default 1). */
  dilation?: Pair;
  /** Channel groups: input and output channels are split into `groups` independent convolutions (default 1). */
  groups?: number;
}

/** Reads a stride/padding/dilation argument as [height, width]. @internal */
export function pair(
  op: string,
  name: string,
  value: Pair | undefined,
  fallback: readonly [number, number],
  min: number,
): [number, number] {
  if (value === undefined) return [fallback[0], fallback[1]];
  const both =
    typeof value === 'number'
      ? [value, value]
      : Array.isArray(value) && value.length === 2
        ? [value[0], value[1]]
        : null;
  if (both === null || both.some((v) => !Number.isInteger(v) || v < min)) {
    throw new RangeError(
      `${op}(): ${name} must be an integer >= ${min} or a pair [height, width] of them, got ${JSON.stringify(value)}.`,
    );
  }
  return both as [number, number];
}

/**
 * The geometry of windows of kernel [kh, kw] over an NCHW input, with PyTorch's output size
 * floor((H + 2p - d(k - 1) - 1) / s) + 1; a RangeError printing both shapes if it is empty. @internal
 */
export function windowGeometry(
  op: string,
  x: Shape,
  kernel: readonly [number, number],
  stride: readonly [number, number],
  padding: readonly [number, number],
  dilation: readonly [number, number],
  other: Shape,
  otherName: string,
): ConvGeometry {
  const [n, c, h, w] = x;
  const [kh, kw] = kernel;
  const oh = Math.floor((h + 2 * padding[0] - dilation[0] * (kh - 1) - 1) / stride[0]) + 1;
  const ow = Math.floor((w + 2 * padding[1] - dilation[1] * (kw - 1) - 1) / stride[1]) + 1;
  if (oh < 1 || ow < 1) {
    throw new RangeError(
      `${op}(): the ${otherName} ${formatShape(other)} spans ${dilation[0] * (kh - 1) + 1}×${dilation[1] * (kw - 1) + 1} (with dilation ${dilation.join('×')}), ` +
        `larger than the input ${formatShape(x)} padded by ${padding.join('×')} to ${h + 2 * padding[0]}×${w + 2 * padding[1]}; the output would be ${oh}×${ow}. ` +
        'Use a smaller kernel or dilation, or more padding.',
    );
  }
  return {
    n,
    c,
    h,
    w,
    kh,
    kw,
    strideH: stride[0],
    strideW: stride[1],
    padH: padding[0],
    padW: padding[1],
    dilationH: dilation[0],
    dilationW: dilation[1],
    oh,
    ow,
  };
}

const IM2COL = /* @__PURE__ */ tensorRule('im2col', [], (g, node) => [[node._a, col2im(g, node._ctx as ConvGeometry)]]);

/**
 * Every window of x [n, c, h, w] as a column: [n, c·kh·kw, oh·ow] (PyTorch's F.unfold), zeros
 * where a window reaches into the padding. Its gradient is `col2im`. @internal
 */
export function im2col(x: Tensor, geometry: ConvGeometry): Tensor {
  const g = geometry;
  const out = empty([g.n, g.c * g.kh * g.kw, g.oh * g.ow], x.dtype);
  currentBackend().im2col(dataOf(x), g, dataOf(out));
  return recordTensor(out, IM2COL, x, null, g);
}

const COL2IM = /* @__PURE__ */ tensorRule('col2im', [], (g, node) => [[node._a, im2col(g, node._ctx as ConvGeometry)]]);

/**
 * The adjoint of `im2col`: columns [n, c·kh·kw, oh·ow] summed back into an image [n, c, h, w]
 * (PyTorch's F.fold). Its gradient is `im2col`. @internal
 */
export function col2im(cols: Tensor, geometry: ConvGeometry): Tensor {
  const g = geometry;
  const out = empty([g.n, g.c, g.h, g.w], cols.dtype);
  currentBackend().col2im(dataOf(cols), g, dataOf(out));
  return recordTensor(out, COL2IM, cols, null, g);
}

/** Accepts conv2d(x, w, options) as well as conv2d(x, w, bias, options). */
function splitArguments(bias: unknown, options: unknown): [Tensor | null, Conv2dOptions] {
  if (
    bias !== undefined &&
    bias !== null &&
    !(bias instanceof Tensor) &&
    options === undefined &&
    typeof bias === 'object'
  )
    return [null, bias];
  if (bias !== undefined && bias !== null) checkTensor('conv2d', bias, 'bias');
  if (options !== undefined && (typeof options !== 'object' || options === null))
    throw new TypeError(
      `conv2d(): options must be an object such as { stride: 2, padding: 1 }, got ${describeForError(options)}.`,
    );
  return [(bias as Tensor | null | undefined) ?? null, (options as Conv2dOptions | undefined) ?? {}];
}

/**
 * 2-D convolution (strictly, cross-correlation, as PyTorch's F.conv2d) of x [N, C, H, W] (or
 * unbatched [C, H, W]) with weight [O, C / groups, kh, kw] and an optional bias [O]. The output
 * is [N, O, oh, ow] with oh = floor((H + 2·padding - dilation·(kh - 1) - 1) / stride) + 1.
 *
 * @example
 * // A 1×1×3×3 image of 1..9 with a 2×2 kernel of ones: the sums of each 2×2 window.
 * conv2d(arange(1, 10).reshape([1, 1, 3, 3]), ones([1, 1, 2, 2])).toArray()   // [[[[12, 16], [24, 28]]]]
 */
export function conv2d(
  x: Tensor,
  weight: Tensor,
  bias?: Tensor | null | Conv2dOptions,
  options?: Conv2dOptions,
): Tensor {
  checkTensor('conv2d', x);
  checkTensor('conv2d', weight, 'weight');
  const [b, opts] = splitArguments(bias, options);
  if (x.ndim === 3) {
    const batched = conv2d(reshape(x, [1, ...x.shape]), weight, b, opts);
    return reshape(batched, batched.shape.slice(1));
  }
  if (x.ndim !== 4)
    throw new RangeError(
      `conv2d(): the input must be [N, C, H, W] (or [C, H, W]), got shape ${formatShape(x.shape)} with weight ${formatShape(weight.shape)}.`,
    );
  if (opts.padding === 'valid') return conv2d(x, weight, b, { ...opts, padding: 0 });
  if (opts.padding === 'same') return samePadded(x, weight, b, opts);
  const geometry = convGeometry(x, weight, opts);
  const [n, c] = x.shape;
  const [o, cg, kh, kw] = weight.shape;
  const groups = c / cg;
  if (b !== null && (b.ndim !== 1 || b.shape[0] !== o))
    throw new RangeError(
      `conv2d(): bias must have shape [${o}] (one per output channel of weight ${formatShape(weight.shape)}), got ${formatShape(b.shape)}.`,
    );
  const k = cg * kh * kw;
  const l = geometry.oh * geometry.ow;
  const cols = im2col(x, geometry);
  const product =
    groups === 1
      ? matmul(reshape(weight, [o, k]), cols)
      : matmul(reshape(weight, [groups, o / groups, k]), reshape(cols, [n, groups, k, l]));
  const out = reshape(product, [n, o, geometry.oh, geometry.ow]);
  return tagForExport(b === null ? out : add(out, reshape(b, [o, 1, 1])), 'Conv', [x, weight, b], {
    kernel_shape: [kh, kw],
    strides: [geometry.strideH, geometry.strideW],
    pads: [geometry.padH, geometry.padW, geometry.padH, geometry.padW],
    dilations: [geometry.dilationH, geometry.dilationW],
    group: groups,
  });
}

/** padding 'same': the total d·(k - 1) split with the odd one at the bottom/right (an explicit pad when uneven). */
function samePadded(x: Tensor, weight: Tensor, bias: Tensor | null, options: Conv2dOptions): Tensor {
  const stride = pair('conv2d', 'stride', options.stride, [1, 1], 1);
  if (stride[0] !== 1 || stride[1] !== 1)
    throw new RangeError(`conv2d(): padding 'same' needs stride 1 (as in PyTorch), got stride ${stride.join('×')}.`);
  if (weight.ndim !== 4)
    throw new RangeError(
      `conv2d(): weight must be [out channels, in channels / groups, kh, kw] (input ${formatShape(x.shape)}, weight ${formatShape(weight.shape)}).`,
    );
  const dilation = pair('conv2d', 'dilation', options.dilation, [1, 1], 1);
  const totalH = dilation[0] * (weight.shape[2] - 1);
  const totalW = dilation[1] * (weight.shape[3] - 1);
  const top = Math.floor(totalH / 2);
  const left = Math.floor(totalW / 2);
  if (totalH % 2 === 0 && totalW % 2 === 0) return conv2d(x, weight, bias, { ...options, padding: [top, left] });
  return conv2d(pad(x, [left, totalW - left, top, totalH - top]), weight, bias, { ...options, padding: 0 });
}

function convGeometry(x: Tensor, weight: Tensor, options: Conv2dOptions): ConvGeometry {
  const both = `(input ${formatShape(x.shape)}, weight ${formatShape(weight.shape)})`;
  if (weight.ndim !== 4)
    throw new RangeError(`conv2d(): weight must be [out channels, in channels / groups, kh, kw] ${both}.`);
  const groups = options.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1)
    throw new RangeError(`conv2d(): groups must be a positive integer, got ${String(groups)}.`);
  const [, c] = x.shape;
  const [o, cg] = weight.shape;
  if (c % groups !== 0 || o % groups !== 0)
    throw new RangeError(
      `conv2d(): groups (${groups}) must divide both the input channels (${c}) and the output channels (${o}) ${both}.`,
    );
  if (cg * groups !== c) {
    throw new RangeError(
      `conv2d(): the input has ${c} channels, but the weight expects ${cg} per group × ${groups} group(s) = ${cg * groups} ${both}.`,
    );
  }
  const stride = pair('conv2d', 'stride', options.stride, [1, 1], 1);
  const padding = pair('conv2d', 'padding', options.padding as Pair | undefined, [0, 0], 0);
  const dilation = pair('conv2d', 'dilation', options.dilation, [1, 1], 1);
  return windowGeometry(
    'conv2d',
    x.shape,
    [weight.shape[2], weight.shape[3]],
    stride,
    padding,
    dilation,
    weight.shape,
    'weight',
  );
}
