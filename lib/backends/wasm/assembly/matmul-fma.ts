// The FMA build's entry: only the matmul, compiled with relaxed SIMD (f32x4.relaxed_madd) and
// importing the memory of the main kernels (../kernels.wasm), whose matmul it replaces where
// the engine validates it. Kept this small so every bundle can carry it (a few KB).
export { matmul, matmulWorkBytes } from './matmul';
