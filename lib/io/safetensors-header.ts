/**
 * The safetensors header: an 8-byte little-endian length N, then N bytes of JSON giving each
 * tensor's `dtype`, `shape` and `data_offsets` ([begin, end) in the data that follows the
 * header), and optionally `__metadata__` (strings by string). Read here under the reference
 * implementation's rules, with every hostile case refused before any data is touched: a header
 * longer than the file or than 100 MB, invalid UTF-8 or JSON, duplicate or `__proto__` keys,
 * numbers that are not finite integers, an unknown dtype, a shape whose size differs from its
 * bytes, offsets that overlap, leave holes or run past the end.
 */
import { StrictJsonError, type JsonValue, parseStrictJson } from './strict-json';

/** The most bytes a header may take (the reference implementation's limit). */
export const MAX_HEADER_BYTES = 100_000_000;

/** Bytes per element of each dtype this reader knows (the 8-bit floats are known and refused). */
export const DTYPE_BYTES: Readonly<Record<string, number>> = Object.freeze({
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  I64: 8,
  U64: 8,
  F64: 8,
});

/** One tensor as the header describes it; `begin`/`end` are offsets into the data part. */
export interface SafetensorsEntry {
  name: string;
  dtype: string;
  shape: number[];
  begin: number;
  end: number;
}

/** A parsed header: the entries in file order, the metadata, and where the data part starts. */
export interface SafetensorsHeader {
  entries: SafetensorsEntry[];
  metadata: Record<string, string>;
  dataStart: number;
}

/** The Error for a refused file: what is wrong, and that nothing was loaded. */
export function refuse(where: string, problem: string): Error {
  return new Error(`${where}: not a valid safetensors file: ${problem}. Nothing was loaded.`);
}

function isIntegerList(x: JsonValue | undefined): x is number[] {
  return Array.isArray(x) && x.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0);
}

/**
 * Reads and checks the header of the safetensors `bytes`; `where` names the caller in errors.
 *
 * @example
 * readHeader(toSafetensors({ w: tensor([1, 2]) }), 'example').entries[0].shape;   // [2]
 */
export function readHeader(bytes: Uint8Array, where: string): SafetensorsHeader {
  if (!(bytes instanceof Uint8Array))
    throw new TypeError(`${where}: bytes must be a Uint8Array (a file's contents), got ${typeof bytes}.`);
  if (bytes.length < 8) throw refuse(where, `it has ${bytes.length} bytes, fewer than the 8 of the header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const high = view.getUint32(4, true);
  const length = high * 2 ** 32 + view.getUint32(0, true);
  if (length > MAX_HEADER_BYTES) throw refuse(where, `its header length ${length} is over the limit of 100 MB`);
  if (length > bytes.length - 8)
    throw refuse(
      where,
      `its header length ${length} runs past the end of the file (${bytes.length - 8} bytes after it)`,
    );
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + length));
  } catch {
    throw refuse(where, 'its header is not valid UTF-8');
  }
  let parsed: JsonValue;
  try {
    parsed = parseStrictJson(text);
  } catch (error) {
    if (!(error instanceof StrictJsonError)) throw error;
    throw refuse(where, `its header is not valid JSON for safetensors (${error.message})`);
  }
  if (!(parsed instanceof Map)) throw refuse(where, 'its header is not a JSON object');
  const dataStart = 8 + length;
  const dataBytes = bytes.length - dataStart;
  const entries: SafetensorsEntry[] = [];
  const metadata: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, info] of parsed) {
    if (name === '__metadata__') {
      if (!(info instanceof Map)) throw refuse(where, '__metadata__ is not an object of strings');
      for (const [key, value] of info) {
        if (typeof value !== 'string') throw refuse(where, `__metadata__ entry ${JSON.stringify(key)} is not a string`);
        metadata[key] = value;
      }
      continue;
    }
    entries.push(readEntry(where, name, info));
  }
  checkOffsets(where, entries, dataBytes);
  return { entries, metadata, dataStart };
}

function readEntry(where: string, name: string, info: JsonValue): SafetensorsEntry {
  const what = `tensor ${JSON.stringify(name)}`;
  if (!(info instanceof Map)) throw refuse(where, `${what} is not described by an object`);
  for (const key of info.keys())
    if (key !== 'dtype' && key !== 'shape' && key !== 'data_offsets')
      throw refuse(where, `${what} has an unknown field ${JSON.stringify(key)}`);
  const dtype = info.get('dtype');
  if (typeof dtype !== 'string' || !Object.prototype.hasOwnProperty.call(DTYPE_BYTES, dtype))
    throw refuse(
      where,
      `${what} has dtype ${JSON.stringify(dtype ?? null)}; known dtypes are ${Object.keys(DTYPE_BYTES).join(', ')}`,
    );
  const shape = info.get('shape');
  if (!isIntegerList(shape)) throw refuse(where, `${what} has a shape that is not a list of integers >= 0`);
  const offsets = info.get('data_offsets');
  if (!isIntegerList(offsets) || offsets.length !== 2)
    throw refuse(where, `${what} has data_offsets that are not two integers >= 0`);
  const [begin, end] = offsets;
  if (begin > end) throw refuse(where, `${what} has data_offsets [${begin}, ${end}] that end before they begin`);
  let size = DTYPE_BYTES[dtype];
  for (const d of shape) size *= d;
  if (!Number.isSafeInteger(size) || size !== end - begin)
    throw refuse(
      where,
      `${what} has shape [${shape.join(', ')}] of ${dtype} (${size} bytes), but data_offsets [${begin}, ${end}] hold ${end - begin} bytes`,
    );
  return { name, dtype, shape, begin, end };
}

/** The entries' byte ranges must tile the data part exactly: no overlap, no hole, nothing past the end. */
function checkOffsets(where: string, entries: readonly SafetensorsEntry[], dataBytes: number): void {
  const sorted = entries.slice().sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  for (const e of sorted) {
    if (e.end > dataBytes)
      throw refuse(
        where,
        `tensor ${JSON.stringify(e.name)} has data_offsets [${e.begin}, ${e.end}] past the end of the data (${dataBytes} bytes)`,
      );
    if (e.begin < at)
      throw refuse(
        where,
        `tensor ${JSON.stringify(e.name)} has data_offsets [${e.begin}, ${e.end}] overlapping another tensor's`,
      );
    if (e.begin > at)
      throw refuse(
        where,
        `the bytes [${at}, ${e.begin}) of the data belong to no tensor (a hole before ${JSON.stringify(e.name)})`,
      );
    at = e.end;
  }
  if (at !== dataBytes) throw refuse(where, `the last ${dataBytes - at} bytes of the data belong to no tensor`);
}
