/**
 * The tensor layers, as `nn` (PyTorch's torch.nn): import { nn } from 'stopgrad', then
 * `new nn.Linear(784, 128)`. `nn.Module` is the base of tensor modules (forward/call); the
 * scalar `Module`, `Linear`, `Layer` and `MLP` stay at the top level.
 */
export { TensorModule as Module, manualSeed } from './base';
export type { ParameterOptions } from './base';
export { Linear, Flatten, Identity } from './linear';
export type { LinearOptions } from './linear';
export { Conv2d, MaxPool2d, AvgPool2d } from './conv';
export type { Conv2dLayerOptions, PoolOptions } from './conv';
export { ReLU, Tanh, Sigmoid, LeakyReLU, GELU } from './activation';
export { Dropout } from './dropout';
export type { DropoutOptions } from './dropout';
export { Sequential } from './sequential';
export { BatchNorm1d, BatchNorm2d, LayerNorm } from './norm';
export type { BatchNormOptions, LayerNormOptions } from './norm';
export { Embedding } from './embedding';
export { CrossEntropyLoss, NLLLoss, MSELoss, L1Loss, BCEWithLogitsLoss } from './loss';
