import { fromSafetensors, loadSafetensorsBytes, nn, tensor, toSafetensors } from '../../lib';
import type { Tensor } from '../../lib';
import { readHeader } from '../../lib/io/safetensors-header';

/** The module the hostile files are aimed at: weight [2, 3] and bias [2], as PyTorch names them. */
function linear(): nn.Linear {
  return new nn.Linear(3, 2, { seed: 1 });
}

/** A file from its header text and data bytes, written byte by byte as the format says. */
function file(header: string, data: number[] | Uint8Array = [], length?: bigint): Uint8Array {
  const json = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, length ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

function withByte(bytes: Uint8Array, at: number, value: number): Uint8Array {
  bytes[at] = value;
  return bytes;
}

function f32(...xs: number[]): number[] {
  return Array.from(new Uint8Array(Float32Array.from(xs).buffer));
}

function bitsOf(t: Tensor): string {
  return Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).toString('hex');
}

describe('safetensors round trips', () => {
  const special32 = [0, -0, NaN, Infinity, -Infinity, 1e-45, -1.4e-45, 1.1754942e-38, 3.4028234663852886e38, 0.1];
  const special64 = [0, -0, NaN, Infinity, -Infinity, 5e-324, -5e-324, 2.2250738585072e-308, Number.MAX_VALUE, 0.1];

  test.each([
    ['float32', special32],
    ['float64', special64],
  ] as const)('%s keeps every bit: -0, NaN, infinities, subnormals', (dtype, values) => {
    const t = tensor(values, { dtype, shape: [2, 5] });
    const back = fromSafetensors(toSafetensors({ t })).t;
    expect(back.dtype).toBe(dtype);
    expect(back.shape).toEqual([2, 5]);
    expect(bitsOf(back)).toBe(bitsOf(t));
    const read = Array.from(back.data);
    values.forEach((v, i) => expect(Object.is(read[i], dtype === 'float32' ? Math.fround(v) : v)).toBe(true));
  });

  test('the layout: 8-byte length, a space-padded JSON header, data on an 8-byte boundary', () => {
    const bytes = toSafetensors({ a: tensor([1, 2]), b: tensor([3], { dtype: 'float64' }) });
    const length = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(length % 8).toBe(0);
    const header = new TextDecoder().decode(bytes.subarray(8, 8 + length));
    expect(header.trimEnd()).toBe(
      '{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F64","shape":[1],"data_offsets":[8,16]}}',
    );
    expect(bytes.length).toBe(8 + length + 16);
    expect(Array.from(bytes.subarray(8 + length, 8 + length + 8))).toEqual(f32(1, 2));
  });

  test('0-d and empty tensors, and a module state in, the same state out', () => {
    const state = fromSafetensors(toSafetensors({ s: tensor(7), e: tensor([], { shape: [0, 3] }) }));
    expect(state.s.shape).toEqual([]);
    expect(state.s.item()).toBe(7);
    expect(state.e.shape).toEqual([0, 3]);
    const a = linear();
    a.weight.data.set([9, 8, 7, 6, 5, 4]);
    const b = new nn.Linear(3, 2, { seed: 2 });
    loadSafetensorsBytes(b, toSafetensors(a));
    expect(b.weight.toArray()).toEqual([
      [9, 8, 7],
      [6, 5, 4],
    ]);
  });
});

describe('a file written by hand from the format specification', () => {
  // F16 1.5 = 0x3E00, -2 = 0xC000, 2^-24 (smallest subnormal) = 0x0001, +Inf = 0x7C00;
  // BF16 1 = 0x3F80, -0.5 = 0xBF00; I64 -3; U8 255; I32 -2147483648; BOOL true.
  const header =
    '{"__metadata__":{"format":"pt","note":"by hand"},' +
    '"h":{"dtype":"F16","shape":[2,2],"data_offsets":[0,8]},' +
    '"bf":{"dtype":"BF16","shape":[2],"data_offsets":[8,12]},' +
    '"n":{"dtype":"I64","shape":[],"data_offsets":[12,20]},' +
    '"u":{"dtype":"U8","shape":[1],"data_offsets":[20,21]},' +
    '"flag":{"dtype":"BOOL","shape":[1],"data_offsets":[21,22]},' +
    '"i":{"dtype":"I32","shape":[1],"data_offsets":[22,26]},' +
    '"w":{"dtype":"F32","shape":[1,2],"data_offsets":[26,34]}}  ';
  const data = [
    0x00, 0x3e, 0x00, 0xc0, 0x01, 0x00, 0x00, 0x7c,
    0x80, 0x3f, 0x00, 0xbf,
    0xfd, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff,
    0x01,
    0x00, 0x00, 0x00, 0x80,
    ...f32(0.25, -1e-45),
  ]; // prettier-ignore

  test('loads with the expected tensors', () => {
    const state = fromSafetensors(file(header, data));
    expect(Object.keys(state)).toEqual(['h', 'bf', 'n', 'u', 'flag', 'i', 'w']);
    expect(state.h.toArray()).toEqual([
      [1.5, -2],
      [2 ** -24, Infinity],
    ]);
    expect(state.h.dtype).toBe('float32');
    expect(state.bf.toArray()).toEqual([1, -0.5]);
    expect(state.n.item()).toBe(-3);
    expect(state.n.dtype).toBe('float64');
    expect(state.u.toArray()).toEqual([255]);
    expect(state.flag.toArray()).toEqual([1]);
    expect(state.i.toArray()).toEqual([-2147483648]);
    expect(state.w.toArray()).toEqual([[0.25, -1.401298464324817e-45]]);
    expect(readHeader(file(header, data), 'spec').metadata).toEqual({ format: 'pt', note: 'by hand' });
  });
});

describe('hostile files are refused and the module is unchanged', () => {
  const good =
    '"weight":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},"bias":{"dtype":"F32","shape":[2],"data_offsets":[24,32]}';
  const data = f32(1, 1, 1, 1, 1, 1, 2, 2);
  const cases: [string, Uint8Array, RegExp][] = [
    ['fewer than 8 bytes', new Uint8Array(5), /fewer than the 8/],
    ['header length past the file', file(`{${good}}`, data, 10_000n), /runs past the end of the file/],
    ['header over 100 MB', file(`{${good}}`, data, 100_000_001n), /over the limit of 100 MB/],
    ['a 64-bit header length', file(`{${good}}`, data, 1n << 40n), /over the limit of 100 MB/],
    [
      'offsets overlapping',
      file(`{${good.replace('[24,32]', '[20,28]')}}`, data.slice(0, 28)),
      /"bias" has data_offsets \[20, 28\] overlapping another tensor's/,
    ],
    ['offsets out of range', file(`{${good.replace('[24,32]', '[24,40]')}}`, data), /shape \[2\] of F32 \(8 bytes\)/],
    [
      'offsets past the end',
      file(`{${good.replace('[24,32]', '[32,40]')}}`, data),
      /past the end of the data \(32 bytes\)/,
    ],
    ['a hole in the data', file(`{${good}}`, [...data, 0, 0, 0, 0]), /last 4 bytes of the data belong to no tensor/],
    [
      "a shape that doesn't match the bytes",
      file(`{${good.replace('"shape":[2,3]', '"shape":[3,3]')}}`, data),
      /shape \[3, 3\] of F32 \(36 bytes\), but data_offsets \[0, 24\] hold 24 bytes/,
    ],
    ['a non-finite number', file(`{${good.replace('[2,3]', '[2,1e999]')}}`, data), /not finite/],
    ['a fractional number', file(`{${good.replace('[2,3]', '[2,3.5]')}}`, data), /not a list of integers/],
    ['a negative offset', file(`{${good.replace('[0,24]', '[-8,24]')}}`, data), /not two integers >= 0/],
    [
      'a duplicate name',
      file(`{${good},"bias":{"dtype":"F32","shape":[0],"data_offsets":[32,32]}}`, data),
      /a second key "bias"/,
    ],
    [
      'a __proto__ name',
      file(`{${good},"__proto__":{"dtype":"F32","shape":[0],"data_offsets":[32,32]}}`, data),
      /__proto__/,
    ],
    ['a __proto__ field', file(`{${good.replace('"dtype"', '"__proto__":1,"dtype"')}}`, data), /__proto__/],
    ['a __proto__ metadata key', file(`{"__metadata__":{"__proto__":"x"},${good}}`, data), /__proto__/],
    [
      'metadata that is not a string',
      file(`{"__metadata__":{"a":1},${good}}`, data),
      /__metadata__ entry "a" is not a string/,
    ],
    ['an unknown dtype', file(`{${good.replace('"F32"', '"F128"')}}`, data), /dtype "F128"/],
    [
      'an 8-bit float',
      file(
        `{${good.replace(/"F32","shape":\[2\],"data_offsets":\[24,32\]/, '"F8_E4M3","shape":[8],"data_offsets":[24,32]')}}`,
        data,
      ),
      /8-bit floats/,
    ],
    ['invalid JSON', file(`{${good}`, data), /not valid JSON/],
    ['invalid UTF-8', withByte(file(`{${good}}`, data), 8 + 2, 0xff), /not valid UTF-8/],
    ['a header that is not an object', file('[1, 2]'), /not a JSON object/],
    ['a missing name', file(`{${good.replace('"bias"', '"beta"')}}`, data), /no tensor 'bias'/],
    [
      'an extra name',
      file(`{${good},"extra":{"dtype":"F32","shape":[0],"data_offsets":[32,32]}}`, data),
      /'extra', which is not in the module/,
    ],
    [
      'a shape unlike the module',
      file(`{${good.replace('"shape":[2,3]', '"shape":[3,2]')}}`, data),
      /\[2, 3\] in the module but \[3, 2\] in the file/,
    ],
    [
      'an I64 beyond 2^53',
      file(`{${good},"big":{"dtype":"I64","shape":[1],"data_offsets":[32,40]}}`, [...data, 0, 0, 0, 0, 0, 0, 0x40, 0]),
      /which a float64 cannot hold exactly/,
    ],
  ];

  test.each(cases)('%s', (_, bytes, message) => {
    const module = linear();
    const before = [module.weight.toArray(), module.bias!.toArray()];
    expect(() => loadSafetensorsBytes(module, bytes)).toThrow(message);
    expect([module.weight.toArray(), module.bias!.toArray()]).toEqual(before);
  });

  test('the good file loads (the cases above differ from it in one thing each)', () => {
    const module = linear();
    loadSafetensorsBytes(module, file(`{${good}}`, data));
    expect(module.bias!.toArray()).toEqual([2, 2]);
  });

  test('nesting deeper than the format needs is refused', () => {
    expect(() => fromSafetensors(file(`{"__metadata__":${'['.repeat(20)}${']'.repeat(20)}}`))).toThrow(
      /nesting deeper than 8/,
    );
  });
});
