// The WebAssembly kernels (AssemblyScript): built by `npm run build:wasm` into ../kernels.wasm
// (deterministic reference) and ../kernels-fma.wasm (relaxed-SIMD FMA in the matmul).
export { matmul, matmulWorkBytes } from './matmul';
export { unary, leakyRelu, clamp, affine, fill } from './unary';
export { binary, where, copyStrided } from './binary';
export { reduce, argReduce } from './reduce';
export { im2col, col2im, maxPool2d, maxPool2dBackward, avgPool2d, avgPool2dBackward } from './conv';
export { sgd, adam } from './optim';

/** First byte after the module's static data: the JS allocator owns everything above it. */
export function heapBase(): usize {
  return __heap_base;
}
export { softmax, crossEntropy } from './softmax';
