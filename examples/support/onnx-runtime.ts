/**
 * Runs an ONNX model in ONNX Runtime (onnxruntime-web, WebAssembly) for the examples and specs. It runs in a
 * worker thread: the runtime loads its WebAssembly glue with a real `import()`, which jest's
 * module system cannot do without --experimental-vm-modules.
 */
import { Worker } from 'worker_threads';

const SOURCE = `
const { parentPort, workerData } = require('worker_threads');
const ort = require(workerData.ort);
ort.env.wasm.numThreads = 1;
(async () => {
  const session = await ort.InferenceSession.create(workerData.model);
  const runs = [];
  for (const input of workerData.inputs) {
    const result = await session.run({ [session.inputNames[0]]: new ort.Tensor(input.type, input.data, input.dims) });
    const out = result[session.outputNames[0]];
    runs.push({ data: out.data, dims: out.dims });
  }
  parentPort.postMessage({ runs, inputNames: session.inputNames, outputNames: session.outputNames });
})().catch((error) => parentPort.postMessage({ error: String((error && error.stack) || error) }));
`;

/** One input or output: elements row-major and dimensions. */
export interface OrtTensor {
  data: Float32Array | Float64Array;
  dims: readonly number[];
}

/** Runs `model` on each input in turn (one session); returns the outputs. */
export async function runOnnx(model: Uint8Array, inputs: readonly OrtTensor[]): Promise<OrtTensor[]> {
  const worker = new Worker(SOURCE, {
    eval: true,
    workerData: {
      ort: require.resolve('onnxruntime-web'),
      model,
      inputs: inputs.map((x) => ({
        type: x.data instanceof Float64Array ? 'float64' : 'float32',
        data: x.data,
        dims: x.dims,
      })),
    },
  });
  try {
    const reply = await new Promise<{ runs?: OrtTensor[]; error?: string }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    if (reply.error !== undefined) throw new Error(`ONNX Runtime: ${reply.error}`);
    // Copied into this realm's typed arrays (under jest, messages arrive as another context's Float32Array).
    return reply.runs!.map((r) => ({
      data: r.data.BYTES_PER_ELEMENT === 8 ? Float64Array.from(r.data) : Float32Array.from(r.data),
      dims: Array.from(r.dims),
    }));
  } finally {
    await worker.terminate();
  }
}
