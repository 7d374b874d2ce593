/**
 * The tensor engine: the Tensor node, creation functions, and the ops (each installed as a
 * method when its module loads, so importing this file gives a Tensor every method).
 */
export { Tensor } from './tensor';
export type { NestedArray, TensorHook } from './tensor';
export { tensor, zeros, ones, full, eye, arange, linspace, rand, randn, zerosLike, onesLike } from './create';
export type { NestedNumbers, RandomOptions, TensorDataOptions, TensorOptions } from './create';
export { getBackend, setBackend } from './backend-choice';
export type { BackendName, WasmBackendOptions } from './backend-choice';
export type { TensorOperand } from './define';
export { add, sub, mul, div, pow, neg, maximum, minimum, where, gt, ge, lt, le, eq } from './ops/arithmetic';
export { erf, gelu } from './ops/erf';
export { exp, log, log1p, sqrt, tanh, sigmoid, softplus, sin, cos, relu, leakyRelu, abs, clamp } from './ops/unary';
export { sum, mean, max, min, logSumExp, argmax, argmin } from './ops/reduce';
export { reshape, flatten, squeeze, unsqueeze, transpose, permute, expand, toType, clone } from './ops/shape';
export { matmul } from './ops/matmul';
export { softmax, logSoftmax } from './ops/softmax';
export { crossEntropy, nllLoss, mseLoss, l1Loss, binaryCrossEntropyWithLogits } from './ops/loss';
export type { CrossEntropyOptions, Labels, Reduction } from './ops/loss';
export { fromValues, toValues } from './bridge';
export { slice, narrow, concat, stack, pad } from './ops/slice';
export { indexSelect, indexAdd, gather, scatterAdd } from './ops/indexing';
export type { Indices, NestedIndices } from './ops/indexing';
export { conv2d } from './ops/conv';
export type { Conv2dOptions, Pair } from './ops/conv';
export { maxPool2d, avgPool2d } from './ops/pool';
export type { MaxPool2dOptions, AvgPool2dOptions } from './ops/pool';
