/**
 * 2-D max and average pooling over NCHW tensors, as PyTorch's F.max_pool2d and F.avg_pool2d
 * (floor output size, average counting the zero padding). Each gradient is itself an op
 * whose gradient is the forward again: max pooling's scatters to the arg-max of each window
 * and is undone by a gather at the arg-max; average pooling's spreads each gradient evenly
 * over its window and is undone by average pooling. So gradients of every order work.
 */
import type { ConvGeometry, Storage } from '../../backends/backend';
import { currentBackend } from '../backend-choice';
import { checkTensor, tensorRule } from '../define';
import { dataOf, empty, recordTensor } from '../record';
import { formatShape } from '../shape';
import type { Tensor } from '../tensor';
import { type Pair, pair, windowGeometry } from './conv';
import { gatherChecked } from './indexing';
import { reshape } from './shape';

/** Options of `maxPool2d`, as PyTorch's F.max_pool2d. */
export interface MaxPool2dOptions {
  /** Step between windows (default: the kernel size). */
  stride?: Pair;
  /** Implicit -Infinity padding on each side, at most half the kernel (default 0). */
  padding?: Pair;
  /** Spacing between window elements (default 1). */
  dilation?: Pair;
}

/** Options of `avgPool2d`, as PyTorch's F.avg_pool2d (count_include_pad: the padding counts in each average). */
export interface AvgPool2dOptions {
  /** Step between windows (default: the kernel size). */
  stride?: Pair;
  /** Zero padding on each side, at most half the kernel (default 0). */
  padding?: Pair;
}

/** Checks the input and options of a pooling op and returns its window geometry (for a 4-D view). */
function poolGeometry(op: string, x: Tensor, kernel: Pair, options: MaxPool2dOptions, dilated: boolean): ConvGeometry {
  checkTensor(op, x);
  if (typeof options !== 'object' || options === null)
    throw new TypeError(`${op}(): options must be an object such as { stride: 2 }, got ${String(options)}.`);
  if (x.ndim !== 4 && x.ndim !== 3)
    throw new RangeError(`${op}(): the input must be [N, C, H, W] (or [C, H, W]), got shape ${formatShape(x.shape)}.`);
  if (kernel === undefined) throw new TypeError(`${op}(x, kernel): kernel is required: a size, or [height, width].`);
  const k = pair(op, 'kernel', kernel, [0, 0], 1);
  const stride = pair(op, 'stride', options.stride, k, 1);
  const padding = pair(op, 'padding', options.padding, [0, 0], 0);
  const dilation = dilated ? pair(op, 'dilation', options.dilation, [1, 1], 1) : ([1, 1] as [number, number]);
  if (padding[0] > k[0] / 2 || padding[1] > k[1] / 2)
    throw new RangeError(
      `${op}(): padding ${padding.join('×')} must be at most half the kernel ${k.join('×')}, as in PyTorch.`,
    );
  const shape = x.ndim === 4 ? x.shape : [1, ...x.shape];
  return windowGeometry(op, shape, k, stride, padding, dilation, k, 'kernel');
}

function outputShape(x: Tensor, g: ConvGeometry): number[] {
  return x.ndim === 4 ? [g.n, g.c, g.oh, g.ow] : [g.c, g.oh, g.ow];
}

interface MaxPoolCtx {
  geometry: ConvGeometry;
  /** The flat index (within its channel plane) of each window's maximum. */
  argmax: Storage;
}

const MAX_POOL = /* @__PURE__ */ tensorRule('maxPool2d', [], (g, node) => {
  const x = node._a as Tensor;
  return [[x, maxPoolScatter(g, x.shape, node._ctx as MaxPoolCtx)]];
});

/**
 * Max pooling (PyTorch's F.max_pool2d) of x [N, C, H, W] or [C, H, W] over kernel windows
 * (stride defaults to the kernel). The gradient goes to the maximum of each window: the first
 * one in row-major order on ties, and NaN counts as the maximum (it propagates).
 *
 * @example maxPool2d(tensor([[[[1, 2], [4, 3]]]]), 2).toArray()   // [[[[4]]]]
 */
export function maxPool2d(x: Tensor, kernel: Pair, options: MaxPool2dOptions = {}): Tensor {
  const g = poolGeometry('maxPool2d', x, kernel, options, true);
  const backend = currentBackend();
  const out = empty(outputShape(x, g), x.dtype);
  // Indices within a plane, exact in float32 below 2^24 elements; float32 keeps the wasm kernels in wasm.
  const argmax = backend.alloc(x.dtype === 'float32' && g.h * g.w < 2 ** 24 ? 'float32' : 'float64', out.size);
  backend.maxPool2d(dataOf(x), g, dataOf(out), argmax.view());
  return recordTensor(out, MAX_POOL, x, null, { geometry: g, argmax } satisfies MaxPoolCtx);
}

const MAX_POOL_SCATTER = /* @__PURE__ */ tensorRule('maxPool2dBackward', [], (g, node) => {
  const { geometry, argmax } = node._ctx as MaxPoolCtx;
  const grad = node._a as Tensor;
  const planes = geometry.n * geometry.c;
  // The adjoint: each output position reads the input position its window's maximum came from.
  const index = { data: Int32Array.from(argmax.view()), shape: [planes, geometry.oh * geometry.ow] };
  const picked = gatherChecked(reshape(g, [planes, geometry.h * geometry.w]), 1, index);
  return [[grad, reshape(picked, grad.shape)]];
});

/** Each gradient of a max pool's output added to its window's arg-max, zeros elsewhere: x's gradient. */
function maxPoolScatter(grad: Tensor, shape: readonly number[], ctx: MaxPoolCtx): Tensor {
  const out = empty(shape, grad.dtype);
  currentBackend().maxPool2dBackward(dataOf(grad), ctx.argmax.view(), ctx.geometry, dataOf(out));
  return recordTensor(out, MAX_POOL_SCATTER, grad, null, ctx);
}

const AVG_POOL = /* @__PURE__ */ tensorRule('avgPool2d', [], (g, node) => {
  const x = node._a as Tensor;
  return [[x, avgPoolSpread(g, x.shape, node._ctx as ConvGeometry)]];
});

/**
 * Average pooling (PyTorch's F.avg_pool2d with count_include_pad) of x [N, C, H, W] or
 * [C, H, W]: each output is the sum of its window divided by the window's full size, padding
 * included. The gradient spreads each output's gradient evenly over its window.
 *
 * @example avgPool2d(tensor([[[[1, 2], [4, 3]]]]), 2).toArray()   // [[[[2.5]]]]
 */
export function avgPool2d(x: Tensor, kernel: Pair, options: AvgPool2dOptions = {}): Tensor {
  const g = poolGeometry('avgPool2d', x, kernel, options, false);
  return avgPoolWith(x, outputShape(x, g), g);
}

function avgPoolWith(x: Tensor, shape: readonly number[], g: ConvGeometry): Tensor {
  const out = empty(shape, x.dtype);
  currentBackend().avgPool2d(dataOf(x), g, dataOf(out));
  return recordTensor(out, AVG_POOL, x, null, g);
}

const AVG_POOL_SPREAD = /* @__PURE__ */ tensorRule('avgPool2dBackward', [], (g, node) => {
  const grad = node._a as Tensor;
  return [[grad, avgPoolWith(g, grad.shape, node._ctx as ConvGeometry)]];
});

/** The adjoint of average pooling: each output gradient / window size, added over its window. */
function avgPoolSpread(grad: Tensor, shape: readonly number[], g: ConvGeometry): Tensor {
  const out = empty(shape, grad.dtype);
  currentBackend().avgPool2dBackward(dataOf(grad), g, dataOf(out));
  return recordTensor(out, AVG_POOL_SPREAD, grad, null, g);
}
