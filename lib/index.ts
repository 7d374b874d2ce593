/**
 * stopgrad: a define-by-run automatic differentiation engine built around controlling where
 * gradients flow. This file is the whole public API; read it to learn the library.
 */

// The graph core: the Value node, the backward pass, stop-gradient and grad mode.
export { Value } from './engine/value';
export type { ValueOptions } from './engine/value-options';
export type { GradHook } from './engine/node';
import './autograd/backward';
export type { BackwardOptions } from './autograd/backward';
export { stopGradient } from './engine/stop-gradient';
export { noGrad, enableGrad, isGradEnabled } from './engine/modes';

// The differentiable ops, attached to Value as methods (x.add(y), x.relu(), Value.sum(xs)).
import './ops/arithmetic';
import './ops/smooth';
import './ops/piecewise';
import './ops/reductions';

// Seeded data: random sources, a toy data set, mini-batches.
export { seededRng, gaussian, shuffled } from './data/random';
export type { Rng } from './data/random';
export { makeMoons } from './data/moons';
export type { Dataset, MoonsOptions } from './data/moons';
export { batches } from './data/batches';
export type { BatchOptions } from './data/batches';
export { DataLoader } from './data/loader';
export type { ArrayDataset, Batch, DataLoaderOptions } from './data/loader';

// Training toolkit: modules, initialisers, optimisers, clipping, checkpoints.
export { Module } from './nn/module';
export type { AnyModule, Member, StateDict, StateEntry } from './nn/module';
export { Neuron, Layer, Linear, MLP } from './nn/layers';
export type { Activation, LayerOptions, MLPOptions, NeuronOptions } from './nn/layers';
export { glorotUniform, glorotNormal, heUniform, heNormal, xavierUniform, xavierNormal } from './init/initializers';
export type { InitOptions, InitializerName } from './init/initializers';
export { SGD } from './optim/sgd';
export type { SGDOptions, SGDState } from './optim/sgd';
export { Adam, AdamW } from './optim/adam';
export type { AdamOptions, AdamState } from './optim/adam';
export { clipGradNorm_, clipGradValue_ } from './optim/clip';
export { Optimizer } from './optim/optimizer';
export type { ParamGroup, ParamGroupInput } from './optim/optimizer';
export { LRScheduler, StepLR, CosineAnnealingLR, LinearLR } from './optim/schedules';
export type {
  CosineAnnealingLROptions,
  LinearLROptions,
  LRSchedulerState,
  Schedulable,
  StepLROptions,
} from './optim/schedules';
export type { ClipGradNormOptions } from './optim/clip';
export { toCheckpoint, fromCheckpoint } from './nn/checkpoint';
// Tensor layers as a namespace, like torch.nn: nn.Linear, nn.Conv2d, nn.Sequential, nn.Module, ...
export * as nn from './nn/tensor';
// Models that travel: safetensors weights (PyTorch's state_dict names) in memory.
export { toSafetensors, fromSafetensors, loadSafetensorsBytes } from './io/safetensors';
export type { ModuleWithState, ToSafetensorsOptions } from './io/safetensors';
// ... and ONNX models (opset 17) traced from a module's forward, for ONNX Runtime.
export { toOnnx } from './io/onnx/export';
export type { ExportableModule, OnnxOptions } from './io/onnx/export';
// File-system functions (save, load, saveGraph, saveSafetensors, loadSafetensors, exportOnnx) are in 'stopgrad/node' (lib/node/index.ts).

// Gradients as values: higher order, a functional API, custom ops, checks and debugging.
export { grad } from './autograd/grad';
export type { GradOptions } from './autograd/grad';
export { gradFn, valueAndGrad } from './autograd/functional';
export type { Gradient, GradFnOptions } from './autograd/functional';
export { customOp, gradientReversal, straightThrough } from './autograd/custom-op';
export type { CustomOpContext, CustomOpSpec } from './autograd/custom-op';
export { customTensorOp } from './autograd/custom-tensor-op';
export type { CustomTensorOpContext, CustomTensorOpSpec } from './autograd/custom-tensor-op';
export { gradcheck } from './autograd/gradcheck';
export type { GradcheckEntry, GradcheckOptions, GradcheckResult } from './autograd/gradcheck';
export { detectAnomaly } from './engine/modes';

// Seeing the graph: DOT and SVG drawings, a text outline, and why a gradient is zero.
export { toDot } from './viz/dot';
export type { DotOptions } from './viz/dot';
export { toSvg } from './viz/render';
export { outline } from './viz/outline';
export type { OutlineOptions } from './viz/outline';
export { explainGrad } from './viz/explain';
export type { GradExplanation, ZeroEdge } from './viz/explain';

// Tensors on the same graph core: creation, the Tensor node, and the tensor-only ops.
export {
  Tensor,
  tensor,
  zeros,
  ones,
  full,
  eye,
  arange,
  linspace,
  rand,
  randn,
  zerosLike,
  onesLike,
  getBackend,
  setBackend,
} from './tensor';
export type {
  BackendName,
  WasmBackendOptions,
  NestedArray,
  NestedNumbers,
  RandomOptions,
  TensorDataOptions,
  TensorHook,
  TensorOperand,
  TensorOptions,
} from './tensor';
export {
  where,
  gt,
  ge,
  lt,
  le,
  eq,
  sum,
  mean,
  max,
  min,
  logSumExp,
  argmax,
  argmin,
  softmax,
  logSoftmax,
  matmul,
} from './tensor';
export { reshape, flatten, squeeze, unsqueeze, transpose, permute, expand, fromValues, toValues } from './tensor';
export { crossEntropy, nllLoss, mseLoss, l1Loss, binaryCrossEntropyWithLogits, erf, gelu } from './tensor';
export type { CrossEntropyOptions, Labels, Reduction } from './tensor';

// The ops as free functions of numbers, Values and Tensors alike.
export {
  add,
  sub,
  mul,
  div,
  pow,
  neg,
  maximum,
  minimum,
  exp,
  log,
  sqrt,
  tanh,
  sigmoid,
  relu,
  leakyRelu,
  abs,
  clamp,
} from './functions';
export type { Operand, Result } from './functions';
export {
  slice,
  narrow,
  concat,
  stack,
  pad,
  indexSelect,
  indexAdd,
  gather,
  scatterAdd,
  conv2d,
  maxPool2d,
  avgPool2d,
} from './tensor';
export type { Indices, NestedIndices, Conv2dOptions, Pair, MaxPool2dOptions, AvgPool2dOptions } from './tensor';
