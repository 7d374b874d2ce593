/**
 * safetensors in memory (every JavaScript runtime): `toSafetensors` writes a state dict or a
 * module's state as the format's bytes, `fromSafetensors` reads them back as Tensors by name,
 * and `loadSafetensorsBytes` loads them into a module. Names are the module's state-dict names,
 * which follow PyTorch's (`0.weight`, `fc1.bias`), so a PyTorch model of the same layers loads
 * the file with `load_state_dict`, and the reverse. Writes F32 and F64 (the tensors' own
 * dtypes, bit for bit); reads those and F16, BF16, BOOL and the integer dtypes.
 */
import { describeForError } from '../engine/errors';
import { tensor } from '../tensor/create';
import type { Tensor } from '../tensor/tensor';
import { DTYPE_BYTES, type SafetensorsEntry, readHeader, refuse } from './safetensors-header';
import { type ModuleWithState, checkStateModule, stateOf } from './state-source';

export type { ModuleWithState } from './state-source';

/** Options of `toSafetensors`. */
export interface ToSafetensorsOptions {
  /** Strings stored under `__metadata__` (default `{ format: 'pt' }`, which Hugging Face loaders expect). */
  metadata?: Record<string, string>;
}

const LITTLE_ENDIAN = /* @__PURE__ */ (() => new Uint8Array(Uint16Array.of(1).buffer)[0] === 1)();

/** The little-endian bytes of a float32/float64 array (a copy, every bit kept). */
function bytesOf(data: Float32Array | Float64Array): Uint8Array {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  if (!LITTLE_ENDIAN)
    for (let i = 0; i < bytes.length; i += data.BYTES_PER_ELEMENT)
      bytes.subarray(i, i + data.BYTES_PER_ELEMENT).reverse();
  return bytes;
}

/**
 * The safetensors bytes of `source`: a module (its `stateDict()`: parameters and buffers) or
 * a state dict of Tensors by name. Each tensor is written in its own dtype (F32 or F64), bit
 * for bit, -0, NaN, the infinities and subnormals included; the header is padded with spaces
 * so the data starts on an 8-byte boundary.
 *
 * @example
 * const bytes = toSafetensors({ weight: tensor([[1, 2]]) });
 * fromSafetensors(bytes).weight.toArray();   // [[1, 2]]
 */
export function toSafetensors(
  source: ModuleWithState | Record<string, Tensor>,
  options: ToSafetensorsOptions = {},
): Uint8Array {
  const state = stateOf('toSafetensors(source)', source);
  const metadata = options.metadata ?? { format: 'pt' };
  if (typeof metadata !== 'object' || metadata === null || Object.values(metadata).some((v) => typeof v !== 'string'))
    throw new TypeError(
      `toSafetensors(): options.metadata must be an object of strings, got ${describeForError(metadata)}.`,
    );
  const header: Record<string, unknown> = {};
  const chunks: Uint8Array[] = [];
  let offset = 0;
  // Object.defineProperty: a name such as "__proto__" stays a plain key (the reader refuses it, but never misreads it).
  if (Object.keys(metadata).length > 0) define(header, '__metadata__', { ...metadata });
  for (const [name, t] of state) {
    const bytes = bytesOf(t._data);
    define(header, name, {
      dtype: t.dtype === 'float64' ? 'F64' : 'F32',
      shape: t.shape,
      data_offsets: [offset, offset + bytes.length],
    });
    chunks.push(bytes);
    offset += bytes.length;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLength + offset);
  new DataView(out.buffer).setUint32(0, headerLength, true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let at = 8 + headerLength;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Half-precision bits as a number (exact in float32). */
function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 31) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** The elements of `entry` as a float32 or float64 array (float64 where float32 would round). */
function decodeEntry(
  where: string,
  bytes: Uint8Array,
  dataStart: number,
  e: SafetensorsEntry,
): Float32Array | Float64Array {
  const raw = bytes.subarray(dataStart + e.begin, dataStart + e.end);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const n = raw.length / DTYPE_BYTES[e.dtype];
  const read = (make: (i: number) => number, wide: boolean): Float32Array | Float64Array => {
    const out = wide ? new Float64Array(n) : new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = make(i);
    return out;
  };
  switch (e.dtype) {
    case 'F32':
      return read((i) => view.getFloat32(4 * i, true), false);
    case 'F64':
      return read((i) => view.getFloat64(8 * i, true), true);
    case 'F16':
      return read((i) => halfToNumber(view.getUint16(2 * i, true)), false);
    case 'BF16': {
      const bits = new DataView(new ArrayBuffer(4));
      return read((i) => (bits.setUint32(0, view.getUint16(2 * i, true) << 16), bits.getFloat32(0)), false);
    }
    case 'BOOL':
    case 'U8':
      return read((i) => view.getUint8(i), false);
    case 'I8':
      return read((i) => view.getInt8(i), false);
    case 'I16':
      return read((i) => view.getInt16(2 * i, true), false);
    case 'U16':
      return read((i) => view.getUint16(2 * i, true), false);
    case 'I32':
      return read((i) => view.getInt32(4 * i, true), true);
    case 'U32':
      return read((i) => view.getUint32(4 * i, true), true);
    case 'I64':
    case 'U64':
      return read((i) => {
        const v = e.dtype === 'I64' ? view.getBigInt64(8 * i, true) : view.getBigUint64(8 * i, true);
        if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER))
          throw refuse(
            where,
            `tensor ${JSON.stringify(e.name)} (${e.dtype}) holds ${v}, which a float64 cannot hold exactly`,
          );
        return Number(v);
      }, true);
    default:
      throw refuse(
        where,
        `tensor ${JSON.stringify(e.name)} has dtype ${e.dtype}, which stopgrad does not read (8-bit floats)`,
      );
  }
}

/** Every tensor of the file, checked and decoded, before anything is returned. @internal */
export function decodeAll(
  bytes: Uint8Array,
  where: string,
): { tensors: [string, Tensor][]; metadata: Record<string, string> } {
  const header = readHeader(bytes, where);
  const tensors: [string, Tensor][] = header.entries.map((e) => {
    const data = decodeEntry(where, bytes, header.dataStart, e);
    return [e.name, tensor(data, { shape: e.shape, dtype: data instanceof Float64Array ? 'float64' : 'float32' })];
  });
  return { tensors, metadata: header.metadata };
}

/**
 * The tensors of a safetensors file (its bytes) by name, in file order. F32 and F64 give
 * tensors of that dtype, bit for bit; F16, BF16, BOOL, 8- and 16-bit integers give float32
 * (exactly); 32- and 64-bit integers give float64 (exactly; a 64-bit value beyond 2^53 is
 * refused). A file that breaks the format (see safetensors-header.ts) is refused with an Error.
 *
 * @example
 * const state = fromSafetensors(toSafetensors({ b: tensor([0.5]) }));
 * state.b.toArray();   // [0.5]
 */
export function fromSafetensors(bytes: Uint8Array): Record<string, Tensor> {
  const state: Record<string, Tensor> = {};
  for (const [name, t] of decodeAll(bytes, 'fromSafetensors(bytes)').tensors) define(state, name, t);
  return state;
}

/**
 * Loads the safetensors `bytes` into `module` (in memory; `loadSafetensors` in `stopgrad/node`
 * reads a file). Every name of the module's state dict must be in the file with the same
 * shape, and no other name; each tensor is converted to its parameter's dtype. The file and
 * the names are checked before anything changes: on any error the module is unchanged.
 *
 * @example
 * loadSafetensorsBytes(copy, toSafetensors(model));   // copy now computes what model does
 */
export function loadSafetensorsBytes(module: ModuleWithState, bytes: Uint8Array): void {
  loadInto(module, bytes, 'loadSafetensorsBytes(module, bytes)');
}

/** `loadSafetensorsBytes`, with `where` naming the caller in errors. @internal */
export function loadInto(module: ModuleWithState, bytes: Uint8Array, where: string): void {
  checkStateModule(where, module);
  const { tensors } = decodeAll(bytes, where);
  const expected = stateOf(where, module);
  const byName = new Map(tensors);
  const state: Record<string, Tensor> = {};
  for (const [name, t] of expected) {
    const loaded = byName.get(name);
    if (loaded === undefined)
      throw new Error(`${where}: the file has no tensor '${name}', which the module needs. Nothing was loaded.`);
    if (loaded.shape.length !== t.shape.length || loaded.shape.some((d, i) => d !== t.shape[i]))
      throw new RangeError(
        `${where}: '${name}' has shape [${t.shape.join(', ')}] in the module but [${loaded.shape.join(', ')}] in the file. Nothing was loaded.`,
      );
    define(state, name, loaded.dtype === t.dtype ? loaded : loaded.toType(t.dtype));
  }
  const names = new Set(expected.map(([name]) => name));
  for (const [name] of tensors)
    if (!names.has(name))
      throw new Error(`${where}: the file has '${name}', which is not in the module's state dict. Nothing was loaded.`);
  module.loadStateDict(state);
}
