/**
 * Checkpoints in memory: a module's parameters as JSON text and back, exactly. This module
 * runs in every JavaScript runtime (no file system): keep the text in IndexedDB or
 * localStorage, download it, or send it. The Node-only `save`/`load` in `stopgrad/node`
 * write and read the same text to files.
 *
 * Format: `{ "format": "stopgrad-checkpoint", "version": 1, "parameters": { name: value } }`.
 * A value is a JSON number, which round-trips every finite double exactly (subnormals
 * included), or one of the strings "-0", "NaN", "Infinity", "-Infinity" for the doubles JSON
 * cannot write. A module with Tensor parameters or buffers writes version 2, where the entry of
 * a Tensor is `{ "dtype": "float32", "shape": [2, 3], "data": [...] }`, its elements (row-major)
 * encoded as above; buffers (BatchNorm's running statistics) are entries like parameters.
 */
import { describeForError } from '../engine/errors';
import { Value } from '../engine/value';
import { tensor } from '../tensor/create';
import { formatShape, sizeOf } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { type AnyModule, Module } from './module';
import { setOwn } from './state';

const FORMAT = 'stopgrad-checkpoint';
const VERSION = 1;
const TENSOR_VERSION = 2;
const SPECIAL: Record<string, number> = { '-0': -0, NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

function encode(x: number): number | string {
  if (Object.is(x, -0)) return '-0';
  return Number.isFinite(x) ? x : String(x);
}

/** Throws a TypeError unless `module` is a Module. @internal */
export function checkModule(where: string, module: unknown): asserts module is AnyModule {
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
export function toCheckpoint(module: AnyModule): string {
  checkModule('toCheckpoint(module)', module);
  const entries = module.stateEntries();
  if (entries.every(([, p]) => p instanceof Value)) {
    const parameters: Record<string, number | string> = {};
    for (const [name, p] of entries) setOwn(parameters, name, encode((p as Value).data));
    return JSON.stringify({ format: FORMAT, version: VERSION, parameters }, null, 1);
  }
  // One line per entry: a tensor's elements stay on its line, not one line each.
  const lines = entries.map(([name, p]) => {
    const value =
      p instanceof Value
        ? JSON.stringify(encode(p.data))
        : `{"dtype":"${p.dtype}","shape":${JSON.stringify(p.shape)},"data":${JSON.stringify(Array.from(p._data, encode))}}`;
    return `  ${JSON.stringify(name)}: ${value}`;
  });
  return `{\n "format": "${FORMAT}",\n "version": ${TENSOR_VERSION},\n "parameters": {\n${lines.join(',\n')}\n }\n}`;
}

/** What a checkpoint of `module` holds: each entry's name and its tensor shape (null for a Value). @internal */
export function layoutOf(module: AnyModule): Layout {
  return module.stateEntries().map(([name, p]) => ({ name, shape: p instanceof Tensor ? p.shape : null }));
}

/** Entry names and shapes (null for a number), as `layoutOf` gives them. */
export type Layout = readonly { name: string; shape: readonly number[] | null }[];

/**
 * Loads checkpoint text (from `toCheckpoint` or a file written by `save`) into `module`.
 * Throws an Error naming the first problem (not JSON, wrong format or version, a missing or
 * unexpected parameter name, a value that is not a number) and then changes nothing.
 *
 * @example
 * fromCheckpoint(copy, toCheckpoint(model));   // copy now computes what model does
 */
export function fromCheckpoint(module: AnyModule, text: string): void {
  checkModule('fromCheckpoint(module, text)', module);
  if (typeof text !== 'string')
    throw new TypeError(
      `fromCheckpoint(module, text): text must be a string (from toCheckpoint), got ${describeForError(text)}.`,
    );
  const layout = layoutOf(module);
  const limit = sizeLimit(layout);
  if (text.length > limit)
    throw new Error(
      `fromCheckpoint: the checkpoint is ${text.length} characters, too large for a checkpoint of ${layout.length} parameters (at most ${limit}).`,
    );
  module.loadStateDict(decode(text, layout, 'the checkpoint', 'fromCheckpoint'));
}

/**
 * The most bytes (and so characters) a checkpoint of these parameter names can take: one line
 * per parameter (the name as JSON, the longest number or special value, indentation), with
 * generous slack. Derived from the names, so long names never push a real checkpoint over it.
 */
export function sizeLimit(layout: Layout): number {
  let bytes = 4096;
  // Three bytes per UTF-16 unit bound the UTF-8 size without Node's Buffer (browser-safe).
  for (const { name, shape } of layout)
    bytes += 3 * JSON.stringify(name).length + 64 + (shape === null ? 0 : 128 + 32 * sizeOf(shape));
  return bytes;
}

/** Parses and validates a checkpoint's text into a state dict with exactly `names`. @internal */
export function decode(
  text: string,
  layout: Layout,
  file = 'the checkpoint',
  where = 'load',
): Record<string, number | Tensor> {
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
  if (version !== VERSION && version !== TENSOR_VERSION)
    throw new Error(
      `${where}: ${file} has checkpoint version ${describeForError(version)}; this stopgrad reads versions ${VERSION} and ${TENSOR_VERSION}.`,
    );
  if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters))
    throw new Error(`${where}: ${file} has no "parameters" object.`);
  const saved = parameters as Record<string, unknown>;
  const expected = new Set(layout.map(({ name }) => name));
  for (const key of Object.keys(saved)) {
    if (!expected.has(key))
      throw new Error(`${where}: ${file} has parameter ${JSON.stringify(key)}, which this module does not have.`);
  }
  // A null-prototype object: names such as "__proto__" are plain keys here.
  const state = Object.create(null) as Record<string, number | Tensor>;
  for (const { name, shape } of layout) {
    if (!Object.prototype.hasOwnProperty.call(saved, name))
      throw new Error(`${where}: ${file} is missing parameter '${name}'.`);
    const value = saved[name];
    const number = decodeNumber(value);
    if (shape === null && number !== undefined) state[name] = number;
    else if (shape === null)
      throw new TypeError(`${where}: parameter '${name}' in ${file} must be a number, got ${describeForError(value)}.`);
    else state[name] = decodeTensor(value, shape, `${where}: parameter '${name}' in ${file}`);
  }
  return state;
}

function decodeNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && Object.prototype.hasOwnProperty.call(SPECIAL, value)) return SPECIAL[value];
  return undefined;
}

/** A tensor entry `{ dtype, shape, data }` of the expected shape, or a TypeError/RangeError naming `where`. */
function decodeTensor(value: unknown, shape: readonly number[], where: string): Tensor {
  const entry = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const { dtype, data } = entry;
  const saved = entry.shape;
  if ((dtype !== 'float32' && dtype !== 'float64') || !Array.isArray(saved) || !Array.isArray(data))
    throw new TypeError(
      `${where} must be a tensor entry { dtype: 'float32' | 'float64', shape, data }, got ${describeForError(value)}.`,
    );
  if (saved.length !== shape.length || saved.some((d, i) => d !== shape[i]))
    throw new RangeError(
      `${where} has shape ${formatShape(saved as number[])}, but this module's has shape ${formatShape(shape)}.`,
    );
  if (data.length !== sizeOf(shape))
    throw new RangeError(`${where} has ${data.length} elements; shape ${formatShape(shape)} needs ${sizeOf(shape)}.`);
  const out = dtype === 'float64' ? new Float64Array(data.length) : new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const x = decodeNumber(data[i]);
    if (x === undefined)
      throw new TypeError(`${where}: element ${i} must be a number, got ${describeForError(data[i])}.`);
    out[i] = x;
  }
  return tensor(out, { shape: shape.slice(), dtype: dtype });
}
