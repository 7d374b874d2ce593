/**
 * `save` and `load`: checkpoints as files (Node only; import from `stopgrad/node`). The text is
 * exactly `toCheckpoint`'s, so files and in-memory checkpoints are interchangeable.
 */
import { describeForError } from '../engine/errors';
import { checkModule, decode, layoutOf, sizeLimit, toCheckpoint } from '../nn/checkpoint';
import type { AnyModule as Module } from '../nn/module';
import { readRegularFile, writeFileAtomic } from './atomic-file';

function checkPath(where: string, file: unknown): asserts file is string {
  if (typeof file !== 'string' || file === '')
    throw new TypeError(`${where}: path must be a non-empty string, got ${describeForError(file)}.`);
}

/**
 * Writes `module`'s parameters to `file` as JSON, atomically: readers see the old file or the
 * new one, never half of one.
 *
 * @example
 * import { save } from 'stopgrad/node';
 * await save(model, 'model.json');
 */
export async function save(module: Module, file: string): Promise<void> {
  checkModule('save(module, path)', module);
  checkPath('save(module, path)', file);
  await writeFileAtomic('save(module, path)', file, toCheckpoint(module));
}

/**
 * Loads parameters saved by `save` into `module`. Throws an Error naming the first problem (not
 * JSON, wrong format or version, a missing or unexpected parameter name, a value that is not a
 * number) and then changes nothing.
 *
 * @example
 * import { load } from 'stopgrad/node';
 * await load(model, 'model.json');
 */
export async function load(module: Module, file: string): Promise<void> {
  checkModule('load(module, path)', module);
  checkPath('load(module, path)', file);
  const layout = layoutOf(module);
  // Only a regular file, read with a bound derived from the expected names (a FIFO, a device or
  // a file growing under the read is refused with a clear error, never read without limit).
  const text = await readRegularFile(
    'load(module, path)',
    file,
    sizeLimit(layout),
    `a checkpoint of ${layout.length} parameters`,
  );
  module.loadStateDict(decode(text, layout, file));
}
