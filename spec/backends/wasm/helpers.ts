/** Shared by the wasm kernel specs: a seeded float32 source and a fallback that must not be reached. */
import type { Backend } from '../../../lib/backends/backend';
import { WasmBackend, type WasmBackendOptions } from '../../../lib/backends/wasm/wasm-backend';

/** Deterministic values in [-1, 1) (a small LCG), already float32. */
export function seeded(seed: number): (n: number) => number[] {
  let s = seed >>> 0;
  return (n) =>
    Array.from({ length: n }, () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return Math.fround(s / 2 ** 31 - 1);
    });
}

/** A fallback that records which kernels reached it (the wasm paths must not). */
export function recordingFallback(calls: string[]): Backend {
  return new Proxy({} as Backend, {
    get: (_, name) =>
      name === 'name'
        ? 'recording'
        : (...args: unknown[]) => {
            calls.push(String(name));
            if (name === 'alloc')
              return { dtype: args[0], length: args[1], version: 0, view: () => new Float64Array(args[1] as number) };
            return undefined;
          },
  });
}

/** A backend whose fallback fails the test when reached. */
export function wasmOnly(options?: WasmBackendOptions): { wasm: WasmBackend; calls: string[] } {
  const calls: string[] = [];
  return { wasm: new WasmBackend(recordingFallback(calls), options), calls };
}

/** Copies values into a new wasm buffer and returns the buffer's storage. */
export function put(wasm: WasmBackend, values: readonly number[]) {
  return wasm.fromArray('float32', values);
}

/** Largest |a - b| / max(1, |b|) over two arrays. */
export function maxRelError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return worst;
}

const f = Math.fround;

/** C of a batched product the straightforward way, in float32 (s = f32(s + f32(a*b)), k in order). */
export function reference(
  a: number[],
  b: number[],
  batch: number,
  m: number,
  k: number,
  n: number,
  aStride: number,
  bStride: number,
  transA: boolean,
  transB: boolean,
): number[] {
  const c: number[] = [];
  for (let t = 0; t < batch; t++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) {
          const x = a[t * aStride + (transA ? p * m + i : i * k + p)];
          const y = b[t * bStride + (transB ? j * k + p : p * n + j)];
          s = f(s + f(x * y));
        }
        c.push(s);
      }
    }
  }
  return c;
}
