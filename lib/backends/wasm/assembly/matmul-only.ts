// The entry of the matmul-alone builds, each importing the memory of a full kernels build:
// kernels-fma.wasm (relaxed-SIMD FMA, replacing kernels.wasm's matmul where the engine
// validates it) and, for threads (stopgrad/node's useWasmThreads), matmul-shared.wasm and
// matmul-fma-shared.wasm over a shared memory, which the worker threads instantiate. Kept this
// small (a few KB, no data segments) so every bundle can carry it and a worker can instantiate
// it without rewriting any of the shared memory.
export { matmul, matmulWorkBytes } from './matmul';
