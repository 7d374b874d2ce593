/**
 * How each recorded op becomes ONNX nodes (opset 17): the engine's op name (a node's `op`), or
 * `tag:<Op>` for a composite tagged during the trace that needs more than one node. What an op
 * kept for its gradient rule (`_ctx`: an axis, a slope, a window geometry) gives the attributes.
 */
import type { ConvGeometry } from '../../backends/backend';
import type { Tensor } from '../../tensor/tensor';
import type { ExportTag } from '../../tensor/trace';
import type { Converter, Emitter } from './graph';

/** The first operand of a binary op: a tensor, or a number kept in `_ctx`. */
function first(t: Tensor): Tensor | number {
  return (t._a as Tensor | null) ?? (t._ctx as number);
}

function binary(op: string): Converter {
  return (t, e) => e.node(op, [e.name(first(t), t.dtype), e.name(t._rest as Tensor | number, t.dtype)]);
}

function unary(op: string): Converter {
  return (t, e) => e.node(op, [e.name(t._a as Tensor)]);
}

/** Pooling attributes from a window geometry (4-D inputs only: ONNX pools have a batch dimension). */
function pool(op: string, extra: Record<string, number>): Converter {
  return (t, e) => {
    const x = t._a as Tensor;
    if (x.ndim !== 4)
      throw new RangeError(
        `toOnnx(): ${op} needs a 4-D [N, C, H, W] input, but the traced one has shape [${x.shape.join(', ')}].`,
      );
    const g = ((t._ctx as { geometry?: ConvGeometry }).geometry ?? t._ctx) as ConvGeometry;
    return e.node(op, [e.name(x)], {
      kernel_shape: [g.kh, g.kw],
      strides: [g.strideH, g.strideW],
      pads: [g.padH, g.padW, g.padH, g.padW],
      ...(op === 'MaxPool' ? { dilations: [g.dilationH, g.dilationW] } : {}),
      ...extra,
    });
  };
}

/** A reduction: keepdims read off the shapes (the op keeps its axes only). */
function reduce(op: string): Converter {
  return (t, e) => {
    const x = t._a as Tensor;
    const axes = t._ctx as number[];
    const keepdims = t.ndim === x.ndim ? 1 : 0;
    if (op === 'ReduceSum') return e.node(op, [e.name(x), e.ints(axes)], { keepdims });
    return e.node(op, [e.name(x)], { axes, keepdims });
  };
}

/** nn.Linear: Gemm for a 2-D input (y = x·Wᵀ + b), MatMul with the transposed weight otherwise. */
function linear(e: Emitter, tag: ExportTag): string {
  const [x, weight, bias] = tag.inputs as [Tensor, Tensor, Tensor | null];
  if (x.ndim === 2) {
    const inputs = [e.name(x), e.name(weight), ...(bias === null ? [] : [e.name(bias)])];
    return e.node('Gemm', inputs, { transB: 1 });
  }
  const product = e.node('MatMul', [e.name(x), e.node('Transpose', [e.name(weight)], { perm: [1, 0] })]);
  return bias === null ? product : e.node('Add', [product, e.name(bias)]);
}

function table(): Readonly<Record<string, Converter>> {
  return {
    add: binary('Add'),
    sub: binary('Sub'),
    mul: binary('Mul'),
    div: binary('Div'),
    pow: binary('Pow'),
    maximum: binary('Max'),
    minimum: binary('Min'),
    neg: unary('Neg'),
    exp: unary('Exp'),
    log: unary('Log'),
    sqrt: unary('Sqrt'),
    abs: unary('Abs'),
    tanh: unary('Tanh'),
    sigmoid: unary('Sigmoid'),
    relu: unary('Relu'),
    softplus: unary('Softplus'),
    sin: unary('Sin'),
    cos: unary('Cos'),
    clone: unary('Identity'),
    erf: unary('Erf'),
    log1p: (t, e) => e.node('Log', [e.node('Add', [e.name(t._a as Tensor), e.name(1, t.dtype)])]),
    leakyRelu: (t, e) => e.node('LeakyRelu', [e.name(t._a as Tensor)], { alpha: t._ctx as number }),
    clamp: (t, e) => {
      const [lo, hi] = t._ctx as [number, number];
      return e.node('Clip', [e.name(t._a as Tensor), e.name(lo, t.dtype), e.name(hi, t.dtype)]);
    },
    softmax: (t, e) => e.node('Softmax', [e.name(t._a as Tensor)], { axis: t._ctx as number }),
    logSoftmax: (t, e) => e.node('LogSoftmax', [e.name(t._a as Tensor)], { axis: t._ctx as number }),
    maxPool2d: pool('MaxPool', {}),
    avgPool2d: pool('AveragePool', { count_include_pad: 1 }),
    permute: (t, e) => e.node('Transpose', [e.name(t._a as Tensor)], { perm: t._ctx as number[] }),
    reshape: (t, e) => e.node('Reshape', [e.name(t._a as Tensor), e.ints(t.shape, 'reshape')]),
    expand: (t, e) => e.node('Expand', [e.name(t._a as Tensor), e.ints(t.shape, 'expand')]),
    concat: (t, e) =>
      e.node(
        'Concat',
        (t._rest as Tensor[]).map((x) => e.name(x)),
        { axis: (t._ctx as { axis: number }).axis },
      ),
    sum: reduce('ReduceSum'),
    max: reduce('ReduceMax'),
    min: reduce('ReduceMin'),
    toType: (t, e) => e.node('Cast', [e.name(t._a as Tensor)], { to: t.dtype === 'float64' ? 11 : 1 }),
    'tag:Linear': (t, e, tag) => linear(e, tag),
  };
}

/** The converter of each op name (and of `tag:<Op>` composites that need more than one node). */
export const CONVERTERS: Readonly<Record<string, Converter>> = /* @__PURE__ */ table();

/** The ops the exporter knows, for error messages. */
export const EXPORTABLE: readonly string[] = /* @__PURE__ */ (() => [
  'nn.Linear',
  'nn.BatchNorm (eval)',
  'conv2d',
  'matmul',
  'flatten',
  ...Object.keys(CONVERTERS).filter((k) => !k.startsWith('tag:')),
])();

/** Attributes that ONNX types as floats (every other number is an integer). */
export const FLOAT_ATTRS: ReadonlySet<string> = new Set(['alpha', 'beta', 'epsilon', 'momentum']);
