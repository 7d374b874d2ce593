/**
 * Exactness: the same MLP built from Values (lib's MLP) and from float64 Tensors (matmul, add,
 * activation, fused crossEntropy or mseLoss) gives the same losses and gradients to 1e-12, over
 * several SGD steps. The two graphs share no node: only the numbers are compared.
 */
import { MLP, Tensor, Value, crossEntropy, mseLoss, noGrad, randn, seededRng, tensor } from '../../lib';
import type { Activation } from '../../lib';

const TOLERANCE = 1e-12;

interface TensorLayer {
  w: Tensor; // [nin, nout]
  b: Tensor; // [nout]
}

/** The Value model's weights copied into float64 tensors, W[k][j] = neuron j's weight k. */
function tensorsOf(model: MLP): TensorLayer[] {
  return model.layers.map((layer) => {
    const nin = layer.neurons[0].w.length;
    const nout = layer.neurons.length;
    const w = new Float64Array(nin * nout);
    layer.neurons.forEach((n, j) => n.w.forEach((v, k) => (w[k * nout + j] = v.data)));
    return {
      w: tensor(w, { shape: [nin, nout], requiresGrad: true }),
      b: tensor(Float64Array.from(layer.neurons.map((n) => n.b.data)), { requiresGrad: true }),
    };
  });
}

function forwardTensor(layers: TensorLayer[], x: Tensor, activation: Activation): Tensor {
  let h = x;
  layers.forEach(({ w, b }, i) => {
    h = h.matmul(w).add(b);
    if (i < layers.length - 1) h = activation === 'tanh' ? h.tanh() : activation === 'relu' ? h.relu() : h;
  });
  return h;
}

/** Softmax cross-entropy of Value logits, written with scalar ops (log Σ exp z - z_y), averaged. */
function crossEntropyValues(outputs: Value[][], labels: number[]): Value {
  const losses = outputs.map((z, i) =>
    Value.sum(z.map((v) => v.exp()))
      .log()
      .sub(z[labels[i]]),
  );
  return Value.sum(losses).div(outputs.length);
}

function mseValues(outputs: Value[][], targets: number[][]): Value {
  const terms = outputs.flatMap((z, i) => z.map((v, j) => v.sub(targets[i][j]).pow(2)));
  return Value.sum(terms).div(terms.length);
}

/** Differences above the tolerance between the Value model's gradients and the tensors'. */
function gradMismatches(model: MLP, layers: TensorLayer[]): string[] {
  const bad: string[] = [];
  const close = (a: number, b: number) => Math.abs(a - b) <= TOLERANCE * Math.max(1, Math.abs(a));
  model.layers.forEach((layer, l) => {
    const nout = layer.neurons.length;
    layer.neurons.forEach((n, j) => {
      n.w.forEach((v, k) => {
        const t = layers[l].w.grad!.data[k * nout + j];
        if (!close(v.grad, t)) bad.push(`layer ${l} w[${k}][${j}]: Value ${v.grad}, Tensor ${t}`);
      });
      const t = layers[l].b.grad!.data[j];
      if (!close(n.b.grad, t)) bad.push(`layer ${l} b[${j}]: Value ${n.b.grad}, Tensor ${t}`);
    });
  });
  return bad;
}

function sgdStep(model: MLP, layers: TensorLayer[], lr: number): void {
  for (const p of model.parameters()) p.data -= lr * p.grad;
  model.zeroGrad();
  noGrad(() => {
    for (const { w, b } of layers) {
      w.sub_(w.grad!.mul(lr));
      b.sub_(b.grad!.mul(lr));
      w.zeroGrad();
      b.zeroGrad();
    }
  });
}

describe.each(['tanh', 'relu'] as const)('an MLP 3-5-4-3 with %s hidden layers, batch 6', (activation) => {
  const rng = seededRng(activation === 'tanh' ? 21 : 22);
  const x = randn([6, 3], { rng, dtype: 'float64' });
  const rows = x.toArray() as number[][];

  test('softmax cross-entropy: losses and every gradient agree to 1e-12 over 4 SGD steps', () => {
    const labels = [0, 2, 1, 1, 0, 2];
    const model = new MLP(3, [5, 4, 3], { activation, rng: seededRng(7) });
    const layers = tensorsOf(model);
    for (let step = 0; step < 4; step++) {
      const valueLoss = crossEntropyValues(
        rows.map((r) => model.call(r)),
        labels,
      );
      const tensorLoss = crossEntropy(forwardTensor(layers, x, activation), labels);
      expect(tensorLoss.dtype).toBe('float64');
      expect(Math.abs(valueLoss.data - tensorLoss.item())).toBeLessThanOrEqual(TOLERANCE);
      valueLoss.backward();
      tensorLoss.backward();
      expect(gradMismatches(model, layers)).toEqual([]);
      sgdStep(model, layers, 0.5);
    }
  });

  test('mean squared error: losses and every gradient agree to 1e-12 over 4 SGD steps', () => {
    const targets = randn([6, 3], { rng: seededRng(3), dtype: 'float64' }).toArray() as number[][];
    const model = new MLP(3, [5, 4, 3], { activation, rng: seededRng(8) });
    const layers = tensorsOf(model);
    const losses: number[] = [];
    for (let step = 0; step < 4; step++) {
      const valueLoss = mseValues(
        rows.map((r) => model.call(r)),
        targets,
      );
      const tensorLoss = mseLoss(forwardTensor(layers, x, activation), tensor(targets, { dtype: 'float64' }));
      expect(Math.abs(valueLoss.data - tensorLoss.item())).toBeLessThanOrEqual(TOLERANCE);
      losses.push(tensorLoss.item());
      valueLoss.backward();
      tensorLoss.backward();
      expect(gradMismatches(model, layers)).toEqual([]);
      sgdStep(model, layers, 0.1);
    }
    // The steps trained something: the loss went down.
    expect(losses[3]).toBeLessThan(losses[0]);
  });
});
