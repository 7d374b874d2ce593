/** ONNX Runtime for specs: the examples' runner (a worker thread; see examples/support/onnx-runtime.ts). */
export { runOnnx } from '../../examples/support/onnx-runtime';
export type { OrtTensor } from '../../examples/support/onnx-runtime';
