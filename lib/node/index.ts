/**
 * `stopgrad/node`: the functions that need Node's file system. Everything else, the in-memory
 * forms included (`toCheckpoint`/`fromCheckpoint`, `toSvg`), is in the main entry and runs in
 * every JavaScript runtime.
 *
 * @example
 * import { MLP } from 'stopgrad';
 * import { save, load, saveGraph } from 'stopgrad/node';
 */
export { save, load } from './checkpoint';
export { saveGraph } from './graph';
export { saveSafetensors, loadSafetensors } from './safetensors';
export { exportOnnx } from './onnx';
export type { ExportOnnxOptions } from './onnx';
export { useWasmThreads, wasmThreads } from './wasm-threads';
export type { WasmThreadsOptions } from './wasm-threads';
