/**
 * What a bundler for the browser gets for `stopgrad/node` (the `browser` condition of the
 * package's exports): the same names, each throwing an Error that says what to use instead,
 * so an app that only mentions them still builds.
 */

function nodeOnly(name: string): Error {
  return new Error(
    `${name}: stopgrad/node needs Node's file system. In a browser, use toCheckpoint/fromCheckpoint, toSafetensors/loadSafetensorsBytes, toOnnx and toSvg from 'stopgrad', ` +
      'and keep the text in IndexedDB or offer it as a download.',
  );
}

/** Node only: throws in a browser (use `toCheckpoint`). */
// eslint-disable-next-line @typescript-eslint/require-await -- an async signature like the Node version's, failing on call
export async function save(..._args: unknown[]): Promise<void> {
  throw nodeOnly('save');
}

/** Node only: throws in a browser (use `fromCheckpoint`). */
// eslint-disable-next-line @typescript-eslint/require-await -- as above
export async function load(..._args: unknown[]): Promise<void> {
  throw nodeOnly('load');
}

/** Node only: throws in a browser (use `toSvg`). */
// eslint-disable-next-line @typescript-eslint/require-await -- as above
export async function saveGraph(..._args: unknown[]): Promise<void> {
  throw nodeOnly('saveGraph');
}

/** Node only: throws in a browser (use `toSafetensors`). */
// eslint-disable-next-line @typescript-eslint/require-await -- as above
export async function saveSafetensors(..._args: unknown[]): Promise<void> {
  throw nodeOnly('saveSafetensors');
}

/** Node only: throws in a browser (use `loadSafetensorsBytes`). */
// eslint-disable-next-line @typescript-eslint/require-await -- as above
export async function loadSafetensors(..._args: unknown[]): Promise<void> {
  throw nodeOnly('loadSafetensors');
}

/** Node only: throws in a browser (use `toOnnx`). */
// eslint-disable-next-line @typescript-eslint/require-await -- as above
export async function exportOnnx(..._args: unknown[]): Promise<void> {
  throw nodeOnly('exportOnnx');
}

/** Node only: throws in a browser (threads need Node's worker_threads; the wasm backend runs on one thread here). */
export function useWasmThreads(..._args: unknown[]): void {
  throw new Error(
    'useWasmThreads: stopgrad/node needs Node (worker_threads over a shared wasm memory). In a browser the wasm backend runs on one thread.',
  );
}

/** How many threads the wasm backend's matmuls use: always 1 in a browser. */
export function wasmThreads(): number {
  return 1;
}
