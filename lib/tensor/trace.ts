/**
 * What an exporter needs to see of a forward pass that the graph alone does not say: which op,
 * in the exchange format's terms, a composite op (conv2d, matmul, flatten) computed. Outside an
 * export, `tracing` is null and tagging costs one comparison; during `toOnnx`'s trace each
 * composite tags its result with its ONNX op, inputs and attributes, so the exporter emits one
 * Conv rather than the im2col, reshapes and matmul the engine recorded for it.
 */
import type { Tensor } from './tensor';

/** An export-level op: its ONNX op type, its inputs (null: an optional input left out), its attributes. */
export interface ExportTag {
  readonly op: string;
  readonly inputs: readonly (Tensor | null)[];
  readonly attrs: Readonly<Record<string, number | readonly number[]>>;
}

let tracing: WeakMap<Tensor, ExportTag> | null = null;

/**
 * Tags `out` as the result of the ONNX op `op` on `inputs` while an export traces; returns `out`.
 * @internal
 */
export function tagForExport(
  out: Tensor,
  op: string,
  inputs: readonly (Tensor | null)[],
  attrs: Readonly<Record<string, number | readonly number[]>> = {},
): Tensor {
  if (tracing !== null) tracing.set(out, { op, inputs, attrs });
  return out;
}

/** Runs `fn` with tagging on; returns its result and the tags it made. Not reentrant. @internal */
export function withExportTags<T>(fn: () => T): [T, WeakMap<Tensor, ExportTag>] {
  const tags = new WeakMap<Tensor, ExportTag>();
  const previous = tracing;
  tracing = tags;
  try {
    return [fn(), tags];
  } finally {
    tracing = previous;
  }
}
