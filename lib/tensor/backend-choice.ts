/**
 * Which backend new tensors use: the explicit backend mode (like grad mode, set by the user,
 * never changed behind their back). WebAssembly SIMD by default where the engine runs it
 * (Node and browsers), the plain TypeScript backend otherwise or on request. float64 tensors
 * always run on the TypeScript kernels (the wasm kernels are float32).
 */
import type { Backend, DType, Storage, TypedArray } from '../backends/backend';
import { jsBackend } from '../backends/js';
import { passMemory } from '../engine/hooks';
import { fmaSupported, wasmSupported } from '../backends/wasm/module';
import { WasmHeap } from '../backends/wasm/heap';
import { WasmBackend } from '../backends/wasm/wasm-backend';

/** The names `setBackend` accepts. */
export type BackendName = 'js' | 'wasm';

let backend: Backend | null = null;
/** The engine's wasm backends, one per matmul build (created on first use). */
const builds: { plain: WasmBackend | null; fma: WasmBackend | null } = { plain: null, fma: null };
/** Threaded wasm backends installed by stopgrad/node's useWasmThreads (until retired). */
const threaded = new Set<WasmBackend>();
/** The one chosen last (or by default). */
let wasm: WasmBackend | null = null;
/** The heap capturing the current backward pass's buffers. */
let passHeap: WasmHeap | null = null;

/** Options of the engine's wasm backend (`setBackend('wasm', options)`). */
export interface WasmBackendOptions {
  /**
   * The matmul's build: 'auto' (the default) takes the relaxed-SIMD FMA build where the engine
   * validates it (browsers, Node 22+; Node 20 with --experimental-wasm-relaxed-simd), false the
   * deterministic build (bit for bit the plain loop, on every machine), true insists on FMA.
   * The environment variable STOPGRAD_WASM_FMA=0 (or 1) changes the default.
   */
  fma?: boolean | 'auto';
}

/**
 * The `fma` choice of an options object passed to `call` (`'setBackend(name'`,
 * `'useWasmThreads(threads'`), checked: a TypeError naming the call for a non-object or a bad
 * `fma`. @internal
 */
export function fmaOption(call: string, options: unknown): boolean | 'auto' | undefined {
  if (typeof options !== 'object' || options === null)
    throw new TypeError(`${call}, options): options must be an object such as { fma: false }, got ${String(options)}.`);
  const { fma } = options as { fma?: unknown };
  if (fma !== undefined && fma !== true && fma !== false && fma !== 'auto')
    throw new TypeError(`${call}, { fma }): expected true, false or 'auto', got ${JSON.stringify(fma)}.`);
  return fma;
}

/** An environment variable where there is a `process` (Node), else undefined (browsers). */
function environment(name: string): string | undefined {
  const host = globalThis as { process?: { env?: Record<string, string | undefined> } };
  return host.process?.env?.[name];
}

/** The fma choice of the engine's wasm backends when none is given. @internal */
export function defaultFma(): boolean | 'auto' {
  const env = environment('STOPGRAD_WASM_FMA');
  return env === '0' ? false : env === '1' ? true : 'auto';
}

/**
 * The engine's WasmBackend for an fma choice (each build is created once, on first use, so
 * loading stopgrad instantiates nothing); without a choice, the one in use. @internal
 */
export function wasmBackend(fma?: boolean | 'auto'): WasmBackend {
  if (fma === undefined && wasm !== null) return wasm;
  const choice = fma ?? defaultFma();
  const key = choice === true || (choice === 'auto' && fmaSupported()) ? 'fma' : 'plain';
  wasm = builds[key] ??= new WasmBackend(jsBackend, { fma: key === 'fma' });
  watchPasses();
  return wasm;
}

/**
 * Makes `threadedBackend` (a WasmBackend over shared memory with helper threads, from
 * stopgrad/node's useWasmThreads) the backend in use, or with null returns to the engine's
 * single-threaded wasm backend for `fma`. @internal
 */
export function useThreadedWasm(threadedBackend: WasmBackend | null, fma?: boolean | 'auto'): void {
  if (threadedBackend === null) {
    wasm = null;
    use(wasmBackend(fma));
    return;
  }
  threaded.add(threadedBackend);
  use((wasm = threadedBackend));
  watchPasses();
}

/** Forgets a threaded backend whose workers stopped (its tensors stay readable; ops on them run on JS). @internal */
export function retireThreadedWasm(threadedBackend: WasmBackend): void {
  threaded.delete(threadedBackend);
  if (wasm === threadedBackend) wasm = null;
  if (backend === threadedBackend) use(wasmBackend());
}

/** Backward passes free their buffers and end a step while a wasm backend is current. */
function watchPasses(): void {
  passMemory.current ??= {
    begin() {
      const current = currentBackend();
      if (!(current instanceof WasmBackend) || !current.heap.capture()) return false;
      passHeap = current.heap;
      return true;
    },
    end(began, release) {
      if (began && passHeap !== null) passHeap.endCapture(release);
      if (began) passHeap = null;
      // Buffers no kernel read this step or the last move out of wasm memory.
      const current = currentBackend();
      if (current instanceof WasmBackend) current.heap.endStep();
    },
  };
}

/** Every wasm backend the engine made (one per build used, and the threaded ones not retired). */
function engineWasmBackends(): WasmBackend[] {
  return [builds.plain, builds.fma, ...threaded].filter((b): b is WasmBackend => b !== null);
}

/** The engine's wasm backend whose memory holds `array`, or null. @internal */
export function wasmHolding(array: TypedArray): WasmBackend | null {
  return engineWasmBackends().find((b) => b.holds(array)) ?? null;
}

/** Frees a storage nobody else can see any more (a private `.grad` being reset), if it is in the engine's wasm memory. @internal */
export function releaseStorage(storage: Storage): void {
  for (const b of engineWasmBackends()) b.release(storage);
}

function defaultBackend(): Backend {
  if (environment('STOPGRAD_BACKEND') === 'js') return jsBackend;
  return wasmSupported() ? wasmBackend() : jsBackend;
}

/** The backend new tensors are allocated on and ops run with. @internal */
export function currentBackend(): Backend {
  return backend ?? use(defaultBackend());
}

/**
 * Makes `next` the backend in use; a wasm one's heap becomes the one that tensors of the
 * engine's other wasm memories move into when ops read them (WasmHeap.active).
 */
function use(next: Backend): Backend {
  backend = next;
  WasmHeap.active = next instanceof WasmBackend ? next.heap : null;
  return next;
}

/**
 * A number operand of a kernel as a one-element array of `dtype`: in wasm memory (slot 0-3,
 * one per number operand of the call) when wasm is current, so the kernel runs there. @internal
 */
export function scalarArray(x: number, dtype: DType, slot: number): TypedArray {
  if (dtype === 'float64') return Float64Array.of(x);
  return backend instanceof WasmBackend ? backend.scalar(x, slot) : Float32Array.of(x);
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
 * `options.fma` picks the wasm matmul's build (see `WasmBackendOptions`); changing it starts a
 * new wasm memory, and tensors of the old one move into it as ops read them.
 * @example
 * setBackend('js');
 * getBackend();   // 'js'
 */
export function setBackend(name: BackendName, options: WasmBackendOptions = {}): void {
  if (name !== 'js' && name !== 'wasm')
    throw new TypeError(`setBackend(name): expected 'js' or 'wasm', got ${JSON.stringify(name)}.`);
  const fma = fmaOption('setBackend(name', options);
  if (name === 'js') {
    use(jsBackend);
    return;
  }
  if (!wasmSupported())
    throw new Error(
      "setBackend('wasm'): this JavaScript engine cannot run WebAssembly SIMD; use setBackend('js') (the default here).",
    );
  use(fma === undefined ? wasmBackend() : wasmBackend(fma));
}
