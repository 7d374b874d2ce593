/**
 * `toOnnx`: a module as an ONNX model (bytes; `exportOnnx` in `stopgrad/node` writes a file).
 * The module's forward runs on the example input in evaluation mode with graph recording on,
 * and the recorded graph is written out (graph.ts). For a dynamic batch dimension the forward
 * is traced a second time with one more sample: the two graphs must be the same but for
 * sizes, and a dimension that differs between them is the batch (a Reshape target's becomes
 * -1, the input's and output's become the symbolic 'batch').
 */
import { describeForError } from '../../engine/errors';
import { enableGrad } from '../../engine/modes';
import { tensor } from '../../tensor/create';
import { Tensor } from '../../tensor/tensor';
import { withExportTags } from '../../tensor/trace';
import { encodeModel } from './encode';
import { type GraphIR, buildGraph } from './graph';

/** What the exporter needs of a module: a forward on one Tensor, its parameters and buffers by name, and eval mode. */
export interface ExportableModule {
  forward(x: Tensor): Tensor;
  namedParameters(): [string, unknown][];
  namedBuffers?(): [string, Tensor][];
  training?: boolean;
  train?(mode?: boolean): unknown;
  eval?(): unknown;
}

/** Options of `toOnnx`. */
export interface OnnxOptions {
  /** Whether the first dimension of the input (and what follows from it) is left symbolic: 'batch' (default true). */
  dynamicBatch?: boolean;
}

interface Trace {
  graph: GraphIR;
  batch: number;
}

/** The named tensors of `module` (parameters, then buffers), by identity. */
function namedTensors(module: ExportableModule): Map<Tensor, string> {
  const named = new Map<Tensor, string>();
  for (const [name, p] of module.namedParameters()) if (p instanceof Tensor && !named.has(p)) named.set(p, name);
  for (const [name, b] of module.namedBuffers?.() ?? []) if (!named.has(b)) named.set(b, name);
  return named;
}

function trace(module: ExportableModule, example: Tensor, batch: number, named: Map<Tensor, string>): Trace {
  const source = example._data;
  const row = example.size / example.shape[0];
  const data = example.dtype === 'float64' ? new Float64Array(batch * row) : new Float32Array(batch * row);
  // Repeat the example's samples to fill `batch` rows (the values do not matter, only the graph).
  for (let i = 0; i < data.length; i++) data[i] = source[i % source.length];
  const input = tensor(data, { shape: [batch, ...example.shape.slice(1)], dtype: example.dtype, requiresGrad: true });
  const [output, tags] = enableGrad(() => withExportTags(() => module.forward(input)));
  if (!(output instanceof Tensor))
    throw new TypeError(`toOnnx(): module.forward returned ${describeForError(output)}; it must return one Tensor.`);
  return { graph: buildGraph(output, input, named, tags), batch };
}

function differ(what: string, a: Trace, b: Trace): Error {
  return new Error(
    `toOnnx(): the forward's graph depends on the batch size (traced with ${a.batch} and ${b.batch} samples, ${what}), ` +
      'so it cannot have a dynamic batch dimension. Compute sizes from the input inside the ops (reshape with -1), or pass { dynamicBatch: false }.',
  );
}

/** Where two shapes differ. */
function varying(a: readonly number[], b: readonly number[]): boolean[] {
  return a.map((d, i) => d !== b[i]);
}

/** Trace `a` with every batch-dependent size made symbolic, checked against trace `b`. */
function merge(a: Trace, b: Trace): GraphIR {
  const [ga, gb] = [a.graph, b.graph];
  if (ga.nodes.length !== gb.nodes.length) throw differ(`${ga.nodes.length} and ${gb.nodes.length} nodes`, a, b);
  ga.nodes.forEach((n, i) => {
    const m = gb.nodes[i];
    if (n.op !== m.op || n.inputs.join() !== m.inputs.join() || JSON.stringify(n.attrs) !== JSON.stringify(m.attrs))
      throw differ(`node ${i} is ${n.op} in one and ${m.op} in the other, or has other inputs or attributes`, a, b);
  });
  if (ga.initializers.length !== gb.initializers.length) throw differ('the constants differ', a, b);
  ga.initializers.forEach((init, i) => {
    const other = gb.initializers[i];
    const same =
      init.dims.join() === other.dims.join() && Array.from(init.data).every((x, j) => Object.is(x, other.data[j]));
    if (same) return;
    const dims = varying(Array.from(init.data), Array.from(other.data));
    const count = dims.filter(Boolean).length;
    if (init.role === 'reshape' && count === 1 && init.dims.join() === other.dims.join()) {
      init.data = Array.from(init.data, (d, j) => (dims[j] ? -1 : d));
    } else if (init.role === 'expand' && init.dims.join() === other.dims.join()) {
      // Expand broadcasts: a 1 keeps the input's own (batch) size.
      init.data = Array.from(init.data, (d, j) => (dims[j] ? 1 : d));
    } else {
      const what =
        init.role === 'reshape'
          ? 'a reshape to a shape with more than one batch-sized dimension'
          : `a constant of shape [${init.dims.join(', ')}] changes`;
      throw differ(what, a, b);
    }
  });
  return ga;
}

/**
 * The ONNX model (opset 17) of `module`'s forward, traced on `exampleInput` ([batch, ...]):
 * parameters and buffers become initializers under their state-dict names, and the batch
 * dimension is symbolic unless `dynamicBatch: false`. The module runs in evaluation mode for
 * the trace (Dropout off, BatchNorm on its running statistics) and gets its mode back after.
 * An op with no ONNX form is an Error naming it.
 *
 * @example
 * const bytes = toOnnx(model, randn([1, 784]));
 * // In ONNX Runtime: await ort.InferenceSession.create(bytes)
 */
export function toOnnx(module: ExportableModule, exampleInput: Tensor, options: OnnxOptions = {}): Uint8Array {
  if (
    typeof module !== 'object' ||
    module === null ||
    typeof (module as Partial<ExportableModule>).forward !== 'function'
  )
    throw new TypeError(
      `toOnnx(module, exampleInput): module must be a Module with forward(x), got ${describeForError(module)}.`,
    );
  if (!(exampleInput instanceof Tensor) || exampleInput.ndim < 1 || exampleInput.shape[0] < 1)
    throw new TypeError(
      `toOnnx(module, exampleInput): exampleInput must be a Tensor [batch, ...] with at least one sample, got ${exampleInput instanceof Tensor ? `shape [${exampleInput.shape.join(', ')}]` : describeForError(exampleInput)}.`,
    );
  const dynamic = options.dynamicBatch ?? true;
  const named = namedTensors(module);
  // Frozen parameters join the recorded graph for the trace, so they keep their names.
  const parameters = new Set(module.namedParameters().map(([, p]) => p));
  const frozen = [...named.keys()].filter((t) => !t.requiresGrad && t.isLeaf && parameters.has(t));
  const wasTraining = module.training === true;
  module.eval?.();
  try {
    for (const t of frozen) t.requiresGrad_(true);
    const batch = exampleInput.shape[0];
    const a = trace(module, exampleInput, batch, named);
    const b = dynamic ? trace(module, exampleInput, batch + 1, named) : a;
    const graph = dynamic ? merge(a, b) : a.graph;
    return encodeModel(graph, {
      inputDynamic: varying(a.graph.input.shape, b.graph.input.shape),
      outputDynamic: varying(a.graph.output.shape, b.graph.output.shape),
      producerVersion: '0.1.0',
    });
  } finally {
    for (const t of frozen) t.requiresGrad_(false);
    if (wasTraining) module.train?.(true);
  }
}
