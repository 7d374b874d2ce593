/**
 * Writes an ONNX graph (graph.ts) as a ModelProto with protobuf.js, from ONNX's own message
 * definitions (onnx-schema.ts, generated from onnx.proto): IR version 8, operator set 17, the
 * input and output typed with a symbolic batch dimension where it varies.
 */
import protobuf from 'protobufjs/light.js';
import type { Attr, GraphIR, InitializerIR } from './graph';
import { FLOAT_ATTRS } from './ops';
import { ONNX_SCHEMA } from './onnx-schema';

/** The ONNX operator set the exporter writes. */
export const OPSET = 17;
const IR_VERSION = 8;
const ELEMENT_TYPE: Readonly<Record<string, number>> = { float32: 1, int64: 7, float64: 11 };

let modelType: protobuf.Type | null = null;

function modelProto(): protobuf.Type {
  modelType ??= protobuf.Root.fromJSON(JSON.parse(ONNX_SCHEMA) as protobuf.INamespace).lookupType('onnx.ModelProto');
  return modelType;
}

/** Little-endian bytes of an initializer's elements (ONNX's raw_data). */
function rawData(init: InitializerIR): Uint8Array {
  const width = init.dtype === 'float32' ? 4 : 8;
  const bytes = new Uint8Array(init.data.length * width);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < init.data.length; i++) {
    const x = init.data[i];
    if (init.dtype === 'float32') view.setFloat32(4 * i, x, true);
    else if (init.dtype === 'float64') view.setFloat64(8 * i, x, true);
    else view.setBigInt64(8 * i, BigInt(x), true);
  }
  return bytes;
}

function attribute(name: string, value: Attr): object {
  if (typeof value !== 'number') return { name, type: 7, ints: value.slice() };
  return FLOAT_ATTRS.has(name) ? { name, type: 1, f: value } : { name, type: 2, i: value };
}

/** A tensor type with `dynamic` dimensions named 'batch' (those that vary with the batch size). */
function valueInfo(name: string, dtype: string, shape: readonly number[], dynamic: readonly boolean[]): object {
  return {
    name,
    type: {
      tensorType: {
        elemType: ELEMENT_TYPE[dtype],
        shape: { dim: shape.map((d, i) => (dynamic[i] ? { dimParam: 'batch' } : { dimValue: d })) },
      },
    },
  };
}

/** Options of the encoding: which input and output dimensions are the batch. */
export interface EncodeOptions {
  inputDynamic: readonly boolean[];
  outputDynamic: readonly boolean[];
  producerVersion: string;
}

/** The ONNX model bytes of `graph`. */
export function encodeModel(graph: GraphIR, options: EncodeOptions): Uint8Array {
  const model = {
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: 'stopgrad',
    producerVersion: options.producerVersion,
    graph: {
      name: 'stopgrad',
      node: graph.nodes.map((n, i) => ({
        name: `${n.op}_${i}`,
        opType: n.op,
        input: n.inputs,
        output: [n.output],
        attribute: Object.entries(n.attrs).map(([k, v]) => attribute(k, v)),
      })),
      initializer: graph.initializers.map((init) => ({
        name: init.name,
        dims: init.dims,
        dataType: ELEMENT_TYPE[init.dtype],
        rawData: rawData(init),
      })),
      input: [valueInfo(graph.input.name, graph.input.dtype, graph.input.shape, options.inputDynamic)],
      output: [valueInfo(graph.output.name, graph.output.dtype, graph.output.shape, options.outputDynamic)],
    },
  };
  const type = modelProto();
  return type.encode(type.fromObject(model)).finish();
}
