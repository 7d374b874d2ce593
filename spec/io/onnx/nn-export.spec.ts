/* eslint-disable @typescript-eslint/no-explicit-any -- the decoded ONNX model is an untyped protobuf object */
import protobuf from 'protobufjs/light.js';
import { nn, randn, seededRng, toOnnx } from '../../../lib';
import type { Tensor } from '../../../lib';
import { ONNX_SCHEMA } from '../../../lib/io/onnx/onnx-schema';
import { runOnnx } from '../../helpers/onnx-runtime';

// ONNX Runtime starts a WebAssembly module in a worker thread: seconds on a busy machine.
jest.setTimeout(60_000);

const rng = seededRng(42);

function opTypes(bytes: Uint8Array): string[] {
  const type = protobuf.Root.fromJSON(JSON.parse(ONNX_SCHEMA) as protobuf.INamespace).lookupType('onnx.ModelProto');
  const model = type.toObject(type.decode(bytes)) as any;
  return model.graph.node.map((n: any) => n.opType as string);
}

function maxRelativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return worst;
}

async function compare(model: nn.Module, sample: number[]): Promise<{ error: number; ops: string[] }> {
  const bytes = toOnnx(model, randn([3, ...sample], { rng }));
  const x = randn([7, ...sample], { rng });
  const [out] = await runOnnx(bytes, [{ data: x.data, dims: x.shape }]);
  model.eval();
  const expected: Tensor = model.forward(x);
  expect(out.dims).toEqual(expected.shape);
  return { error: maxRelativeError(out.data, expected.data), ops: opTypes(bytes) };
}

describe('nn.Sequential models exported to ONNX run in ONNX Runtime with the same outputs (traced at batch 3, run at 7)', () => {
  test('an MLP: Linear (Gemm), ReLU, GELU (exact and tanh), Tanh, LeakyReLU, Sigmoid', async () => {
    const model = new nn.Sequential(
      new nn.Linear(5, 16, { rng }),
      new nn.ReLU(),
      new nn.Linear(16, 16, { rng }),
      new nn.GELU(),
      new nn.Linear(16, 8, { rng }),
      new nn.GELU({ approximate: 'tanh' }),
      new nn.Tanh(),
      new nn.Linear(8, 8, { rng }),
      new nn.LeakyReLU(0.2),
      new nn.Linear(8, 3, { rng, bias: false }),
      new nn.Sigmoid(),
    );
    const { error, ops } = await compare(model, [5]);
    expect(error).toBeLessThan(2e-6);
    expect(ops.filter((op) => op === 'Gemm')).toHaveLength(5);
    expect(ops).toEqual(expect.arrayContaining(['Relu', 'Erf', 'Tanh', 'LeakyRelu', 'Sigmoid']));
  });

  test('a CNN: Conv2d, BatchNorm2d (eval, trained running statistics), ReLU, MaxPool2d, AvgPool2d, Flatten, Dropout, Linear', async () => {
    const model = new nn.Sequential(
      new nn.Conv2d(1, 4, 3, { padding: 1, rng }),
      new nn.BatchNorm2d(4),
      new nn.ReLU(),
      new nn.MaxPool2d(2),
      new nn.Conv2d(4, 6, 3, { stride: 2, padding: 1, rng }),
      new nn.ReLU(),
      new nn.AvgPool2d(2, { stride: 1 }),
      new nn.Flatten(),
      new nn.Dropout(0.5),
      new nn.Linear(24, 5, { rng }),
    );
    model.forward(randn([6, 1, 12, 12], { rng }).mul(3).add(1)); // training mode: moves the running statistics
    expect(model.training).toBe(true);
    const { error, ops } = await compare(model, [1, 12, 12]);
    expect(error).toBeLessThan(2e-6);
    expect(ops).toEqual([
      'Conv',
      'BatchNormalization',
      'Relu',
      'MaxPool',
      'Conv',
      'Relu',
      'AveragePool',
      'Flatten',
      'Gemm',
    ]);
  });
});
