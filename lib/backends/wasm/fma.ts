/**
 * Importing this module makes the relaxed-SIMD FMA build of the kernels available to
 * `new WasmBackend(js, { fma: true | 'auto' })`. It is a separate import so that the default
 * bundle carries only the deterministic build (each build is about 51 KB of base64).
 * @example
 * import 'stopgrad/lib/backends/wasm/fma';
 * new WasmBackend(jsBackend, { fma: 'auto' }).fma;   // true where relaxed SIMD runs
 */
import { KERNELS_FMA_WASM } from './kernels-fma-base64';
import { registerFmaBuild } from './module';

registerFmaBuild(KERNELS_FMA_WASM);
