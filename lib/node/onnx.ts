/**
 * `exportOnnx`: a module as an ONNX model file (Node only; import from `stopgrad/node`). The
 * bytes are exactly `toOnnx`'s, written atomically.
 */
import { describeForError } from '../engine/errors';
import { type ExportableModule, type OnnxOptions, toOnnx } from '../io/onnx/export';
import type { Tensor } from '../tensor/tensor';
import { writeFileAtomic } from './atomic-file';

/** Options of `exportOnnx`: where to write, and `toOnnx`'s options. */
export interface ExportOnnxOptions extends OnnxOptions {
  path: string;
}

/**
 * Traces `module`'s forward on `exampleInput` and writes the ONNX model (opset 17, dynamic
 * batch) to a path, atomically. Run it with ONNX Runtime (`onnxruntime-node`,
 * `onnxruntime-web`, Python's `onnxruntime`) or any ONNX consumer.
 *
 * @example
 * import { exportOnnx } from 'stopgrad/node';
 * await exportOnnx(model, randn([1, 1, 28, 28], { rng }), 'mnist.onnx');
 */
export async function exportOnnx(
  module: ExportableModule,
  exampleInput: Tensor,
  pathOrOptions: string | ExportOnnxOptions,
): Promise<void> {
  const where = 'exportOnnx(module, exampleInput, path)';
  const options = typeof pathOrOptions === 'string' ? { path: pathOrOptions } : pathOrOptions;
  if (typeof options !== 'object' || options === null || typeof options.path !== 'string' || options.path === '')
    throw new TypeError(
      `${where}: expected a path, or options with a non-empty path, got ${describeForError(pathOrOptions)}.`,
    );
  await writeFileAtomic(where, options.path, toOnnx(module, exampleInput, options));
}
