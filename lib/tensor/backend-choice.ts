/**
 * Which backend new tensors use: the explicit backend mode (like grad mode, set by the user,
 * never changed behind their back). WebAssembly SIMD by default where the engine runs it
 * (Node and browsers), the plain TypeScript backend otherwise or on request. float64 tensors
 * always run on the TypeScript kernels (the wasm kernels are float32).
 */
import type { Backend, DType, Storage, TypedArray } from '../backends/backend';
import { jsBackend } from '../backends/js';
import { passMemory } from '../engine/hooks';
import { wasmSupported } from '../backends/wasm/module';
import { WasmBackend } from '../backends/wasm/wasm-backend';

/** The names `setBackend` accepts. */
export type BackendName = 'js' | 'wasm';

let backend: Backend | null = null;
let wasm: WasmBackend | null = null;

/** The one WasmBackend (created on first use, so loading stopgrad instantiates nothing). @internal */
export function wasmBackend(): WasmBackend {
  if (wasm === null) {
    const created = (wasm = new WasmBackend(jsBackend));
    // Backward passes free their buffers and end a step while wasm is the current backend.
    passMemory.current = {
      begin: () => currentBackend() === created && created.heap.capture(),
      end(began, release) {
        if (began) created.heap.endCapture(release);
        // Buffers no kernel read this step or the last move out of wasm memory.
        if (currentBackend() === created) created.heap.endStep();
      },
    };
  }
  return wasm;
}

function defaultBackend(): Backend {
  const host = globalThis as { process?: { env?: Record<string, string | undefined> } };
  const env = host.process?.env?.STOPGRAD_BACKEND;
  if (env === 'js') return jsBackend;
  return wasmSupported() ? wasmBackend() : jsBackend;
}

/** The backend new tensors are allocated on and ops run with. @internal */
export function currentBackend(): Backend {
  return (backend ??= defaultBackend());
}

/**
 * A number operand of a kernel as a one-element array of `dtype`: in wasm memory (slot 0-3,
 * one per number operand of the call) when wasm is current, so the kernel runs there. @internal
 */
export function scalarArray(x: number, dtype: DType, slot: number): TypedArray {
  if (dtype === 'float64') return Float64Array.of(x);
  return backend !== null && backend === wasm ? wasm.scalar(x, slot) : Float32Array.of(x);
}

/** The engine's WasmBackend if it was created (tensors may live there whichever backend is current), else null. @internal */
export function createdWasmBackend(): WasmBackend | null {
  return wasm;
}

/** Frees a storage nobody else can see any more (a private `.grad` being reset), if it is in the engine's wasm memory. @internal */
export function releaseStorage(storage: Storage): void {
  if (wasm !== null) wasm.release(storage);
}

/**
 * The name of the backend tensor ops run on: 'wasm' (the default where WebAssembly SIMD
 * loads) or 'js'.
 * @example getBackend()   // 'wasm' in Node
 */
export function getBackend(): BackendName {
  return currentBackend().name as BackendName;
}

/**
 * Chooses the backend of the tensor ops that follow: 'wasm' (WebAssembly SIMD kernels,
 * float32) or 'js' (plain TypeScript). Tensors made before keep their memory and mix freely
 * with new ones; results agree within float32 rounding (see docs/tensors.md). float64 tensors
 * run on the TypeScript kernels on either. Throws if 'wasm' is asked for where it cannot load.
 * @example
 * setBackend('js');
 * getBackend();   // 'js'
 */
export function setBackend(name: BackendName): void {
  if (name === 'js') {
    backend = jsBackend;
    return;
  }
  if (name !== 'wasm') throw new TypeError(`setBackend(name): expected 'js' or 'wasm', got ${JSON.stringify(name)}.`);
  if (!wasmSupported())
    throw new Error(
      "setBackend('wasm'): this JavaScript engine cannot run WebAssembly SIMD; use setBackend('js') (the default here).",
    );
  backend = wasmBackend();
}
