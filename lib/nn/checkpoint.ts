/**
 * Checkpoints: a module's parameters saved as JSON and loaded back exactly. Writes are atomic
 * (a temporary file in the same directory, then a rename). Loading validates everything before
 * it changes anything, so a malformed or hostile file leaves the module untouched.
 *
 * Format: `{ "format": "stopgrad-checkpoint", "version": 1, "parameters": { name: value } }`.
 * A value is a JSON number, which round-trips every finite double exactly (subnormals
 * included), or one of the strings "-0", "NaN", "Infinity", "-Infinity" for the doubles JSON
 * cannot write.
 */
import { describeForError } from '../engine/errors';
import { readRegularFile, writeFileAtomic } from '../io/atomic-file';
import { Module, setOwn } from './module';

const FORMAT = 'stopgrad-checkpoint';
const VERSION = 1;
const SPECIAL: Record<string, number> = { '-0': -0, NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

function encode(x: number): number | string {
  if (Object.is(x, -0)) return '-0';
  return Number.isFinite(x) ? x : String(x);
}

function checkModule(where: string, module: unknown, file: unknown): void {
  if (!(module instanceof Module)) throw new TypeError(`${where}: module must be a Module (e.g. an MLP), got ${describeForError(module)}.`);
  if (typeof file !== 'string' || file === '') throw new TypeError(`${where}: path must be a non-empty string, got ${describeForError(file)}.`);
}

/**
 * Writes `module`'s parameters to `file` as JSON, atomically: readers see the old file or the
 * new one, never half of one.
 *
 * @example
 * await save(model, 'model.json');
 */
export async function save(module: Module, file: string): Promise<void> {
  checkModule('save(module, path)', module, file);
  const parameters: Record<string, number | string> = {};
  for (const [name, p] of module.namedParameters()) setOwn(parameters, name, encode(p.data));
  const text = JSON.stringify({ format: FORMAT, version: VERSION, parameters }, null, 1);
  await writeFileAtomic('save(module, path)', file, text);
}

/**
 * Loads parameters saved by `save` into `module`. Throws an Error naming the first problem (not
 * JSON, wrong format or version, a missing or unexpected parameter name, a value that is not a
 * number) and then changes nothing.
 *
 * @example
 * await load(model, 'model.json');
 */
export async function load(module: Module, file: string): Promise<void> {
  checkModule('load(module, path)', module, file);
  const names = module.namedParameters().map(([name]) => name);
  const text = await readRegularFile('load(module, path)', file, sizeLimit(names), `a checkpoint of ${names.length} parameters`);
  module.loadStateDict(decode(text, names, file));
}

/**
 * The most bytes a checkpoint of these parameter names can take: one line per parameter (the
 * name as JSON, the longest number or special value, indentation), with generous slack.
 */
export function sizeLimit(names: readonly string[]): number {
  let bytes = 4096;
  for (const name of names) bytes += Buffer.byteLength(JSON.stringify(name)) + 64;
  return bytes;
}

/** Parses and validates a checkpoint's text into a state dict with exactly `names`. */
export function decode(text: string, names: readonly string[], file = 'the checkpoint'): Record<string, number> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`load: ${file} is not valid JSON (${(error as Error).message}).`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`load: ${file} is not a stopgrad checkpoint (expected a JSON object).`);
  const { format, version, parameters } = parsed as Record<string, unknown>;
  if (format !== FORMAT) throw new Error(`load: ${file} is not a stopgrad checkpoint (format is ${describeForError(format)}).`);
  if (version !== VERSION) throw new Error(`load: ${file} has checkpoint version ${describeForError(version)}; this stopgrad reads version ${VERSION}.`);
  if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) throw new Error(`load: ${file} has no "parameters" object.`);
  const saved = parameters as Record<string, unknown>;
  const expected = new Set(names);
  for (const key of Object.keys(saved)) {
    if (!expected.has(key)) throw new Error(`load: ${file} has parameter ${JSON.stringify(key)}, which this module does not have.`);
  }
  // A null-prototype object: names such as "__proto__" are plain keys here.
  const state: Record<string, number> = Object.create(null);
  for (const name of names) {
    if (!Object.prototype.hasOwnProperty.call(saved, name)) throw new Error(`load: ${file} is missing parameter '${name}'.`);
    const value = saved[name];
    if (typeof value === 'number') state[name] = value;
    else if (typeof value === 'string' && Object.prototype.hasOwnProperty.call(SPECIAL, value)) state[name] = SPECIAL[value];
    else throw new TypeError(`load: parameter '${name}' in ${file} must be a number, got ${describeForError(value)}.`);
  }
  return state;
}
