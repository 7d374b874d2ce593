/**
 * From a traced forward to an ONNX graph (as plain data; encode.ts writes the protobuf): walk
 * the graph the engine recorded from the output back to the input, without recursion, and emit
 * each node through its converter (ops.ts). A node tagged during the trace (conv2d, matmul,
 * flatten) is emitted as its tag says and its inside is never visited. Leaves are the input,
 * the module's parameters and buffers (found by identity, emitted as initializers under their
 * state-dict names) and constants.
 */
import { describeForError } from '../../engine/errors';
import type { ExportTag } from '../../tensor/trace';
import { Tensor } from '../../tensor/tensor';
import { CONVERTERS, EXPORTABLE } from './ops';

/** An attribute: an integer, a float (alpha, epsilon...) or a list of integers. */
export type Attr = number | readonly number[];

/** One ONNX node, with one output. */
export interface NodeIR {
  op: string;
  inputs: string[];
  output: string;
  attrs: Record<string, Attr>;
}

/** An initializer: a parameter or buffer ('weight'), a constant of the forward, or a Reshape/Expand target ('shape'). */
export interface InitializerIR {
  name: string;
  dtype: 'float32' | 'float64' | 'int64';
  dims: number[];
  data: ArrayLike<number>;
  role: 'weight' | 'constant' | 'reshape' | 'expand';
}

/** A whole graph: nodes in an order where every input comes first, initializers, and the one input and output. */
export interface GraphIR {
  nodes: NodeIR[];
  initializers: InitializerIR[];
  input: { name: string; dtype: string; shape: number[] };
  output: { name: string; dtype: string; shape: number[] };
}

/** What a converter uses to emit: names of values, constants, and nodes. */
export interface Emitter {
  /** The value name of a tensor already emitted, or of a number (a scalar constant of `dtype`). */
  name(x: Tensor | number | null, dtype?: string): string;
  /** An int64 initializer (axes, shapes); a Reshape's or Expand's target shape may hold the batch size. */
  ints(values: readonly number[], role?: 'reshape' | 'expand' | 'constant'): string;
  /** Emits a node and returns its output's name. */
  node(op: string, inputs: readonly string[], attrs?: Record<string, Attr>): string;
}

/** Converts one recorded node (or tagged composite); returns the name of the value that is `t`. */
export type Converter = (t: Tensor, emit: Emitter, tag: ExportTag) => string;

/** The tensor inputs an export-level node reads: its tag's, or its recorded parents. */
function inputsOf(t: Tensor, tag: ExportTag | undefined): Tensor[] {
  if (tag !== undefined) return tag.inputs.filter((x): x is Tensor => x !== null);
  return t.parents.map((p) => {
    if (!(p instanceof Tensor))
      throw new TypeError(
        `toOnnx(): the '${t.op}' node of shape [${t.shape.join(', ')}] reads ${describeForError(p)}; ONNX export handles tensor graphs only.`,
      );
    return p;
  });
}

/**
 * The ONNX graph of `output`, computed from `input` and the `named` tensors (parameters and
 * buffers by identity) in a traced forward. Throws an Error naming the first op that has no
 * ONNX form.
 */
export function buildGraph(
  output: Tensor,
  input: Tensor,
  named: ReadonlyMap<Tensor, string>,
  tags: WeakMap<Tensor, ExportTag>,
): GraphIR {
  const nodes: NodeIR[] = [];
  const initializers: InitializerIR[] = [];
  const names = new Map<Tensor, string>([[input, 'input']]);
  const numbers = new Map<string, string>();
  let counter = 0;
  const emit: Emitter = {
    name(x, dtype = 'float32') {
      if (x === null) return '';
      if (typeof x === 'number') {
        const key = `${dtype}:${Object.is(x, -0) ? '-0' : String(x)}`;
        let found = numbers.get(key);
        if (found === undefined) {
          found = `const_${initializers.length}`;
          initializers.push({ name: found, dtype: dtype as 'float32', dims: [], data: [x], role: 'constant' });
          numbers.set(key, found);
        }
        return found;
      }
      const found = names.get(x);
      if (found === undefined) throw new Error('toOnnx(): internal error: a node was emitted before its input.');
      return found;
    },
    ints(values, role = 'constant') {
      const name = `const_${initializers.length}`;
      initializers.push({ name, dtype: 'int64', dims: [values.length], data: values.slice(), role });
      return name;
    },
    node(op, inputs, attrs = {}) {
      const out = `t${counter++}`;
      nodes.push({ op, inputs: inputs.slice(), output: out, attrs });
      return out;
    },
  };
  // Depth-first, post-order, with an explicit stack: graphs are as deep as the forward is long.
  const stack: [Tensor, boolean][] = [[output, false]];
  while (stack.length > 0) {
    const [t, ready] = stack.pop()!;
    if (names.has(t) && !ready) continue;
    const tag = tags.get(t);
    if (ready) {
      names.set(t, convert(t, tag, emit));
      continue;
    }
    const weight = named.get(t);
    if (weight !== undefined || (tag === undefined && t._rule === null)) {
      const name = weight ?? `const_${initializers.length}`;
      initializers.push({
        name,
        dtype: t.dtype,
        dims: t.shape.slice(),
        data: t._data.slice(), // a copy: the live view is valid until the next op
        role: weight ? 'weight' : 'constant',
      });
      names.set(t, name);
      continue;
    }
    stack.push([t, true]);
    const inputs = inputsOf(t, tag);
    for (let i = inputs.length - 1; i >= 0; i--) if (!names.has(inputs[i])) stack.push([inputs[i], false]);
  }
  let last = names.get(output)!;
  const producer = nodes.find((n) => n.output === last);
  if (producer === undefined) last = emit.node('Identity', [last]);
  for (const n of nodes) {
    if (n.output === last) n.output = 'output';
    n.inputs = n.inputs.map((i) => (i === last ? 'output' : i));
  }
  return {
    nodes,
    initializers,
    input: { name: 'input', dtype: input.dtype, shape: input.shape.slice() },
    output: { name: 'output', dtype: output.dtype, shape: output.shape.slice() },
  };
}

function convert(t: Tensor, tag: ExportTag | undefined, emit: Emitter): string {
  if (tag !== undefined) {
    const special = CONVERTERS[`tag:${tag.op}`];
    if (special !== undefined) return special(t, emit, tag);
    const inputs = tag.inputs.map((x) => emit.name(x));
    while (inputs.length > 0 && inputs[inputs.length - 1] === '') inputs.pop();
    return emit.node(tag.op, inputs, { ...tag.attrs });
  }
  const converter = Object.prototype.hasOwnProperty.call(CONVERTERS, t.op) ? CONVERTERS[t.op] : undefined;
  if (converter === undefined)
    throw new Error(
      `toOnnx(): the forward uses the op '${t.op}' (result of shape [${t.shape.join(', ')}]), which has no ONNX export. ` +
        `Exportable: ${EXPORTABLE.join(', ')}. Write the model with those ops, or export the part before it.`,
    );
  return converter(t, emit, NO_TAG);
}

const NO_TAG: ExportTag = { op: '', inputs: [], attrs: {} };
