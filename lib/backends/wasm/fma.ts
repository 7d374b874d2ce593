/**
 * The relaxed-SIMD FMA build of the kernels, kept in its own module so that the default
 * bundle carries only the deterministic build (each build is about 51 KB of base64). Call
 * `enableFmaBuild()` before `new WasmBackend(js, { fma: true | 'auto' })`.
 * @example
 * enableFmaBuild();
 * new WasmBackend(jsBackend, { fma: 'auto' }).fma;   // true where relaxed SIMD runs
 */
import { KERNELS_FMA_WASM } from './kernels-fma-base64';
import { registerFmaBuild } from './module';

/** Makes the FMA build available to WasmBackend and `fmaSupported()`. */
export function enableFmaBuild(): void {
  registerFmaBuild(KERNELS_FMA_WASM);
}
