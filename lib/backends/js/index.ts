/**
 * The plain-TypeScript backend: buffers are ordinary typed arrays, kernels are loops over them.
 * It is the reference every other backend is checked against, and the fallback where
 * WebAssembly is not available.
 */
import type { Backend, DType, Storage, TypedArray } from '../backend';
import { affine, binary, clamp, copyStrided, leakyRelu, unary, where } from './elementwise';
import { col2im, im2col } from './conv';
import { matmul } from './matmul';
import { avgPool2d, avgPool2dBackward, maxPool2d, maxPool2dBackward } from './pool';
import { argReduce, reduce } from './reduce';
import { softmaxCrossEntropy } from './softmax';

/** A storage that is a plain typed array. */
export class ArrayStorage implements Storage {
  version = 0;
  constructor(readonly array: TypedArray) {}

  get dtype(): DType {
    return this.array instanceof Float64Array ? 'float64' : 'float32';
  }

  get length(): number {
    return this.array.length;
  }

  view(): TypedArray {
    return this.array;
  }
}

function allocate(dtype: DType, length: number): TypedArray {
  return dtype === 'float64' ? new Float64Array(length) : new Float32Array(length);
}

/** The plain-TypeScript backend. */
export const jsBackend: Backend = {
  name: 'js',
  alloc: (dtype, length) => new ArrayStorage(allocate(dtype, length)),
  fromArray(dtype, values) {
    const array = allocate(dtype, values.length);
    array.set(values);
    return new ArrayStorage(array);
  },
  unary,
  leakyRelu,
  clamp,
  affine,
  binary,
  where,
  copyStrided,
  reduce,
  argReduce,
  matmul,
  im2col,
  col2im,
  maxPool2d,
  maxPool2dBackward,
  avgPool2d,
  avgPool2dBackward,
  softmaxCrossEntropy,
};
