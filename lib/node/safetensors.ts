/**
 * `saveSafetensors` and `loadSafetensors`: safetensors files (Node only; import from
 * `stopgrad/node`). The bytes are exactly `toSafetensors`'s, and loading checks the whole file
 * against the module before anything changes.
 */
import { describeForError } from '../engine/errors';
import { type ModuleWithState, type ToSafetensorsOptions, loadInto, toSafetensors } from '../io/safetensors';
import { checkStateModule, stateOf } from '../io/state-source';
import type { Tensor } from '../tensor/tensor';
import { readRegularBytes, writeFileAtomic } from './atomic-file';

function checkPath(where: string, file: unknown): asserts file is string {
  if (typeof file !== 'string' || file === '')
    throw new TypeError(`${where}: path must be a non-empty string, got ${describeForError(file)}.`);
}

/**
 * Writes `source` (a module's state dict, or a state dict of Tensors) to `file` as
 * safetensors, atomically: readers see the old file or the new one, never half of one.
 *
 * @example
 * import { saveSafetensors } from 'stopgrad/node';
 * await saveSafetensors(model, 'model.safetensors');
 */
export async function saveSafetensors(
  source: ModuleWithState | Record<string, Tensor>,
  file: string,
  options: ToSafetensorsOptions = {},
): Promise<void> {
  const where = 'saveSafetensors(source, path)';
  checkPath(where, file);
  const bytes = toSafetensors(source, options);
  await writeFileAtomic(where, file, bytes);
}

/**
 * Loads the safetensors file `file` (from `saveSafetensors`, or PyTorch's
 * `safetensors.torch.save_file`) into `module`: every state-dict name with the same shape, no
 * other name, each tensor converted to its parameter's dtype. A hostile or mismatched file is
 * refused with an Error naming the problem, and the module is then unchanged.
 *
 * @example
 * import { loadSafetensors } from 'stopgrad/node';
 * await loadSafetensors(model, 'model.safetensors');
 */
export async function loadSafetensors(module: ModuleWithState, file: string): Promise<void> {
  const where = 'loadSafetensors(module, path)';
  checkStateModule(where, module);
  checkPath(where, file);
  // The largest file this module can come from: 8 bytes per element (F64, I64), and a header bound by the names.
  let limit = (1 << 20) + 8;
  for (const [name, t] of stateOf(where, module)) limit += 8 * t.size + 3 * JSON.stringify(name).length + 256;
  const bytes = await readRegularBytes(where, file, limit, 'the safetensors file of this module');
  loadInto(module, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), where);
}
