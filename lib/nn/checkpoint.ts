/**
 * Checkpoints in memory: a module's parameters as JSON text and back, exactly. This module
 * runs in every JavaScript runtime (no file system): keep the text in IndexedDB or
 * localStorage, download it, or send it. The Node-only `save`/`load` in `stopgrad/node`
 * write and read the same text to files.
 *
 * Format: `{ "format": "stopgrad-checkpoint", "version": 1, "parameters": { name: value } }`.
 * A value is a JSON number, which round-trips every finite double exactly (subnormals
 * included), or one of the strings "-0", "NaN", "Infinity", "-Infinity" for the doubles JSON
 * cannot write.
 */
import { describeForError } from '../engine/errors';
import { Module, setOwn } from './module';

const FORMAT = 'stopgrad-checkpoint';
const VERSION = 1;
const SPECIAL: Record<string, number> = { '-0': -0, NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

function encode(x: number): number | string {
  if (Object.is(x, -0)) return '-0';
  return Number.isFinite(x) ? x : String(x);
}

/** Throws a TypeError unless `module` is a Module. @internal */
export function checkModule(where: string, module: unknown): asserts module is Module {
  if (!(module instanceof Module))
    throw new TypeError(`${where}: module must be a Module (e.g. an MLP), got ${describeForError(module)}.`);
}

/**
 * `module`'s parameters as checkpoint text (JSON), exactly: `fromCheckpoint` restores every
 * double bit for bit, -0, NaN and the infinities included. Works in every runtime.
 *
 * @example
 * const text = toCheckpoint(model);
 * localStorage.setItem('model', text);         // or IndexedDB, or a download
 */
export function toCheckpoint(module: Module): string {
  checkModule('toCheckpoint(module)', module);
  const parameters: Record<string, number | string> = {};
  for (const [name, p] of module.namedParameters()) setOwn(parameters, name, encode(p.data));
  return JSON.stringify({ format: FORMAT, version: VERSION, parameters }, null, 1);
}

/**
 * Loads checkpoint text (from `toCheckpoint` or a file written by `save`) into `module`.
 * Throws an Error naming the first problem (not JSON, wrong format or version, a missing or
 * unexpected parameter name, a value that is not a number) and then changes nothing.
 *
 * @example
 * fromCheckpoint(copy, toCheckpoint(model));   // copy now computes what model does
 */
export function fromCheckpoint(module: Module, text: string): void {
  checkModule('fromCheckpoint(module, text)', module);
  if (typeof text !== 'string')
    throw new TypeError(
      `fromCheckpoint(module, text): text must be a string (from toCheckpoint), got ${describeForError(text)}.`,
    );
  const names = module.namedParameters().map(([name]) => name);
  const limit = sizeLimit(names);
  if (text.length > limit)
    throw new Error(
      `fromCheckpoint: the checkpoint is ${text.length} characters, too large for a checkpoint of ${names.length} parameters (at most ${limit}).`,
    );
  module.loadStateDict(decode(text, names, 'the checkpoint', 'fromCheckpoint'));
}

/**
 * The most bytes (and so characters) a checkpoint of these parameter names can take: one line
 * per parameter (the name as JSON, the longest number or special value, indentation), with
 * generous slack. Derived from the names, so long names never push a real checkpoint over it.
 */
export function sizeLimit(names: readonly string[]): number {
  let bytes = 4096;
  // Three bytes per UTF-16 unit bound the UTF-8 size without Node's Buffer (browser-safe).
  for (const name of names) bytes += 3 * JSON.stringify(name).length + 64;
  return bytes;
}

/** Parses and validates a checkpoint's text into a state dict with exactly `names`. @internal */
export function decode(
  text: string,
  names: readonly string[],
  file = 'the checkpoint',
  where = 'load',
): Record<string, number> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${where}: ${file} is not valid JSON (${(error as Error).message}).`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error(`${where}: ${file} is not a stopgrad checkpoint (expected a JSON object).`);
  const { format, version, parameters } = parsed as Record<string, unknown>;
  if (format !== FORMAT)
    throw new Error(`${where}: ${file} is not a stopgrad checkpoint (format is ${describeForError(format)}).`);
  if (version !== VERSION)
    throw new Error(
      `${where}: ${file} has checkpoint version ${describeForError(version)}; this stopgrad reads version ${VERSION}.`,
    );
  if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters))
    throw new Error(`${where}: ${file} has no "parameters" object.`);
  const saved = parameters as Record<string, unknown>;
  const expected = new Set(names);
  for (const key of Object.keys(saved)) {
    if (!expected.has(key))
      throw new Error(`${where}: ${file} has parameter ${JSON.stringify(key)}, which this module does not have.`);
  }
  // A null-prototype object: names such as "__proto__" are plain keys here.
  const state = Object.create(null) as Record<string, number>;
  for (const name of names) {
    if (!Object.prototype.hasOwnProperty.call(saved, name))
      throw new Error(`${where}: ${file} is missing parameter '${name}'.`);
    const value = saved[name];
    if (typeof value === 'number') state[name] = value;
    else if (typeof value === 'string' && Object.prototype.hasOwnProperty.call(SPECIAL, value))
      state[name] = SPECIAL[value];
    else
      throw new TypeError(`${where}: parameter '${name}' in ${file} must be a number, got ${describeForError(value)}.`);
  }
  return state;
}
