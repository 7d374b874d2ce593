/* eslint-disable @typescript-eslint/no-explicit-any -- the decoded ONNX model is an untyped protobuf object */
import protobuf from 'protobufjs/light.js';
import {
  avgPool2d,
  concat,
  conv2d,
  leakyRelu,
  logSoftmax,
  maxPool2d,
  randn,
  relu,
  seededRng,
  sigmoid,
  softmax,
  tanh,
  toOnnx,
  zeros,
} from '../../../lib';
import type { Tensor } from '../../../lib';
import { ONNX_SCHEMA } from '../../../lib/io/onnx/onnx-schema';
import { runOnnx } from '../../helpers/onnx-runtime';

// ONNX Runtime starts a WebAssembly module in a worker thread: seconds on a busy machine.
jest.setTimeout(60_000);

const rng = seededRng(15);
const param = (shape: number[], scale = 0.5): Tensor => randn(shape, { rng }).mul(scale).detach().requiresGrad_();

/** A hand-written module of the kind the exporter accepts: forward, named parameters, train/eval. */
abstract class Model {
  training = true;
  abstract params: Record<string, Tensor>;
  abstract forward(x: Tensor): Tensor;
  namedParameters(): [string, Tensor][] {
    return Object.entries(this.params);
  }
  eval(): this {
    this.training = false;
    return this;
  }
  train(mode = true): this {
    this.training = mode;
    return this;
  }
}

class Mlp extends Model {
  params = {
    '0.weight': param([16, 6]),
    '0.bias': param([16]),
    '2.weight': param([8, 16]),
    '2.bias': param([8]),
    '4.weight': param([3, 8]),
  };
  forward(x: Tensor): Tensor {
    const p = this.params;
    const h1 = relu(x.matmul(p['0.weight'].transpose()).add(p['0.bias']));
    const h2 = tanh(h1.matmul(p['2.weight'].transpose()).add(p['2.bias']));
    const both = concat([leakyRelu(h2, 0.1), sigmoid(h2).mul(2).sub(1).div(3)], 1);
    return logSoftmax(both.matmul(concat([p['4.weight'], p['4.weight']], 1).transpose()), -1);
  }
}

class Cnn extends Model {
  params = {
    '0.weight': param([4, 2, 3, 3]),
    '0.bias': param([4]),
    '3.weight': param([6, 4, 3, 3]),
    '6.weight': param([5, 24]),
    '6.bias': param([5]),
  };
  forward(x: Tensor): Tensor {
    const p = this.params;
    let h = maxPool2d(relu(conv2d(x, p['0.weight'], p['0.bias'], { padding: 1 })), 2);
    h = avgPool2d(tanh(conv2d(h, p['3.weight'], { stride: 2, padding: 1 })), 2, { stride: 1 });
    return softmax(h.flatten(1).matmul(p['6.weight'].transpose()).add(p['6.bias']), 1);
  }
}

/** The largest |a - b| relative to max(1, |b|). */
function maxRelativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return worst;
}

function decode(bytes: Uint8Array): Record<string, any> {
  const type = protobuf.Root.fromJSON(JSON.parse(ONNX_SCHEMA)).lookupType('onnx.ModelProto');
  return type.toObject(type.decode(bytes), { longs: Number, defaults: false }) as Record<string, any>;
}

describe('toOnnx models run in ONNX Runtime with the same outputs', () => {
  test.each([
    [
      'an MLP (Gemm-like MatMul+Add, Relu, Tanh, LeakyRelu, Sigmoid, Sub, Div, Concat, LogSoftmax)',
      () => new Mlp(),
      [6],
    ],
    ['a CNN (Conv, Relu, MaxPool, AveragePool, Flatten, MatMul, Softmax)', () => new Cnn(), [2, 12, 12]],
  ] as const)('%s, traced with batch 3, run with batch 7', async (_, make, sample) => {
    const model = make();
    const bytes = toOnnx(model, randn([3, ...sample], { rng }));
    expect(model.training).toBe(true);
    const x = randn([7, ...sample], { rng });
    const [out] = await runOnnx(bytes, [{ data: x.data, dims: x.shape }]);
    const expected = model.forward(x);
    expect(out.dims).toEqual(expected.shape);
    // float32 rounding: the runtime sums in another order (and fuses), so allow a few ulps of the largest terms.
    expect(maxRelativeError(out.data, expected.data)).toBeLessThan(2e-6);
    expect(maxRelativeError(out.data, expected.data)).toBeGreaterThanOrEqual(0);
  });

  test('the model: opset 17, IR 8, parameters as initializers under their names, a symbolic batch', () => {
    const model = new Cnn();
    const m = decode(toOnnx(model, randn([2, 2, 12, 12], { rng })));
    expect(m.irVersion).toBe(8);
    expect(m.opsetImport).toEqual([{ domain: '', version: 17 }]);
    expect(m.graph.node.map((n: { opType: string }) => n.opType)).toEqual([
      'Conv', 'Relu', 'MaxPool', 'Conv', 'Tanh', 'AveragePool', 'Flatten', 'Transpose', 'MatMul', 'Add', 'Softmax',
    ]); // prettier-ignore
    const names = m.graph.initializer.map((t: { name: string }) => t.name);
    expect(names).toEqual(expect.arrayContaining(Object.keys(model.params)));
    const conv = m.graph.initializer.find((t: { name: string }) => t.name === '0.weight');
    expect(conv.dims).toEqual([4, 2, 3, 3]);
    expect(Array.from(new Float32Array(new Uint8Array(conv.rawData).buffer))).toEqual(
      Array.from(model.params['0.weight'].data),
    );
    const dims = (v: any) => v.type.tensorType.shape.dim;
    expect(dims(m.graph.input[0])).toEqual([
      { dimParam: 'batch' },
      { dimValue: 2 },
      { dimValue: 12 },
      { dimValue: 12 },
    ]);
    expect(dims(m.graph.output[0])).toEqual([{ dimParam: 'batch' }, { dimValue: 5 }]);
    const second = m.graph.node[3];
    expect(second.attribute).toEqual([
      { name: 'kernel_shape', type: 7, ints: [3, 3] },
      { name: 'strides', type: 7, ints: [2, 2] },
      { name: 'pads', type: 7, ints: [1, 1, 1, 1] },
      { name: 'dilations', type: 7, ints: [1, 1] },
      { name: 'group', type: 2, i: 1 },
    ]);
  });

  test('a reshape that keeps the batch gets -1 for it, so other batch sizes run', async () => {
    class Reshaper extends Model {
      params = { w: param([4, 3]) };
      forward(x: Tensor): Tensor {
        return x.reshape([x.shape[0], 2, 2]).transpose(1, 2).reshape([x.shape[0], 4]).matmul(this.params.w);
      }
    }
    const model = new Reshaper();
    const bytes = toOnnx(model, randn([2, 4], { rng }));
    const shapes = decode(bytes).graph.initializer.filter((t: any) => t.dataType === 7);
    expect(shapes.map((t: any) => Array.from(new BigInt64Array(new Uint8Array(t.rawData).buffer), Number))).toEqual([
      [-1, 2, 2],
      [-1, 4],
    ]);
    const x = randn([5, 4], { rng });
    const [out] = await runOnnx(bytes, [{ data: x.data, dims: x.shape }]);
    expect(maxRelativeError(out.data, model.forward(x).data)).toBeLessThan(1e-6);
  });
});

describe('what toOnnx refuses', () => {
  test('an op with no ONNX form, named', () => {
    class Slicer extends Model {
      params = {};
      forward(x: Tensor): Tensor {
        return relu(x).slice(1, 0, 2);
      }
    }
    expect(() => toOnnx(new Slicer(), randn([2, 4], { rng }))).toThrow(
      /the forward uses the op 'slice' \(result of shape \[2, 2\]\), which has no ONNX export\. Exportable: nn.Linear, nn.BatchNorm \(eval\), conv2d, matmul, flatten, add/,
    );
  });

  test('a forward whose constants depend on the batch size, unless the batch is static', () => {
    class Padder extends Model {
      params = { w: param([3]) };
      forward(x: Tensor): Tensor {
        return x.mul(this.params.w).add(zeros([x.shape[0], 3]));
      }
    }
    const model = new Padder();
    model.params.w.requiresGrad_(false);
    expect(() => toOnnx(model, randn([2, 3], { rng }))).toThrow(
      /depends on the batch size \(traced with 2 and 3 samples, a constant of shape \[2, 3\] changes\).*dynamicBatch: false/,
    );
    const m = decode(toOnnx(model, randn([2, 3], { rng }), { dynamicBatch: false }));
    expect(m.graph.input[0].type.tensorType.shape.dim).toEqual([{ dimValue: 2 }, { dimValue: 3 }]);
    expect(m.graph.initializer.map((t: any) => t.name)).toContain('w');
    expect(model.params.w.requiresGrad).toBe(false);
  });
});
