/**
 * `save` and `load`: checkpoints as files (Node only; import from `stopgrad/node`). The text is
 * exactly `toCheckpoint`'s, so files and in-memory checkpoints are interchangeable.
 */
import { promises as fs } from 'fs';
import { describeForError } from '../engine/errors';
import { checkModule, checkpointSizeLimit, decode, toCheckpoint } from '../nn/checkpoint';
import type { Module } from '../nn/module';
import { writeTextAtomically } from './write-file';

function checkPath(where: string, file: unknown): asserts file is string {
  if (typeof file !== 'string' || file === '') throw new TypeError(`${where}: path must be a non-empty string, got ${describeForError(file)}.`);
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
  await writeTextAtomically(file, toCheckpoint(module));
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
  const names = module.namedParameters().map(([name]) => name);
  // A checkpoint holds one short line per parameter: refuse anything far larger before reading it.
  const limit = checkpointSizeLimit(names.length);
  const { size } = await fs.stat(file);
  if (size > limit) throw new Error(`load: ${file} is ${size} bytes, too large for a checkpoint of ${names.length} parameters (at most ${limit}).`);
  const text = await fs.readFile(file, 'utf8');
  module.loadStateDict(decode(text, names, file));
}
