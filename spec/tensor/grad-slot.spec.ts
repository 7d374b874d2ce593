/**
 * The .grad slot (lib/tensor/grad-slot.ts): a gradient nobody else can hold is accumulated in
 * place and freed by zeroGrad(); one that user code saw (through .grad, a hook) keeps its
 * values and is never written again.
 */
import { Adam, AdamW, SGD, Tensor, setBackend, tensor } from '../../lib';
import { wasmBackend } from '../../lib/tensor/backend-choice';
import type { WasmStorage } from '../../lib/backends/wasm/heap';
import { WasmAllocator } from '../../lib/backends/wasm/allocator';

afterAll(() => setBackend('wasm'));

const backends = ['wasm', 'js'] as const;

/** x = [1, 2, 3] (requires grad) and a pass giving x.grad = [2, 4, 6] (d/dx sum(x^2)). */
function leaf(): Tensor {
  return tensor([1, 2, 3], { requiresGrad: true });
}
const pass = (x: Tensor): void => x.mul(x).sum().backward();

describe.each(backends)('on the %s backend', (name) => {
  beforeAll(() => setBackend(name));

  test('two passes accumulate: [2, 4, 6] + [2, 4, 6]; zeroGrad empties the slot; a third pass starts over', () => {
    const x = leaf();
    pass(x);
    pass(x);
    expect(x.grad!.toArray()).toEqual([4, 8, 12]);
    x.zeroGrad();
    expect(x.grad).toBeNull();
    pass(x);
    expect(x.grad!.toArray()).toEqual([2, 4, 6]);
  });

  test('a .grad read by user code is never changed by a later pass or freed by zeroGrad', () => {
    const x = leaf();
    pass(x);
    const seen = x.grad!;
    pass(x); // accumulates into a new tensor: seen keeps the first pass's values
    expect(seen.toArray()).toEqual([2, 4, 6]);
    expect(x.grad!.toArray()).toEqual([4, 8, 12]);
    const second = x.grad!;
    x.zeroGrad();
    pass(x);
    expect(second.toArray()).toEqual([4, 8, 12]);
    expect(x.grad!.toArray()).toEqual([2, 4, 6]);
  });

  test('a gradient a hook kept stays intact after zeroGrad and later passes', () => {
    const x = leaf();
    const kept: Tensor[] = [];
    const remove = x.registerHook((g) => void kept.push(g));
    pass(x);
    remove();
    x.zeroGrad();
    pass(x);
    pass(x);
    expect(kept[0].toArray()).toEqual([2, 4, 6]);
    expect(x.grad!.toArray()).toEqual([4, 8, 12]);
  });

  test('the tensor passed to backward(gradient) on a leaf is copied, never adopted or changed', () => {
    const x = leaf();
    const seed = tensor([1, 1, 1]);
    x.backward(seed);
    x.backward(seed);
    expect(seed.toArray()).toEqual([1, 1, 1]);
    expect(x.grad!.toArray()).toEqual([2, 2, 2]);
  });

  test('createGraph gradients are graph nodes: accumulating them records, and zeroGrad frees nothing they need', () => {
    const x = leaf();
    x.mul(x).sum().backward(undefined, { createGraph: true });
    const g = x.grad!;
    expect(g.requiresGrad).toBe(true);
    x.mul(x).sum().backward(undefined, { createGraph: true });
    expect(x.grad!.toArray()).toEqual([4, 8, 12]);
    x.zeroGrad();
    expect(g.toArray()).toEqual([2, 4, 6]);
  });
});

test('on wasm, zeroGrad frees a private gradient at once (its block is reused by the next pass)', () => {
  setBackend('wasm');
  const x = tensor(new Float32Array(5000).fill(1), { requiresGrad: true });
  x.mul(3).sum().backward();
  const storage = x._grad!._storage as WasmStorage;
  expect(storage.resident).toBe(true);
  const live = wasmBackend().heap.allocator.liveBytes;
  x.zeroGrad();
  // The block of 5000 floats (its size class) goes back to the allocator.
  expect(live - wasmBackend().heap.allocator.liveBytes).toBe(WasmAllocator.classSize(20000));
  expect(storage.resident).toBe(false);
  x.mul(3).sum().backward();
  expect(x.grad!.data[4999]).toBe(3);
});

test('on wasm, a .grad read through the getter is not freed by zeroGrad (it stays readable)', () => {
  setBackend('wasm');
  const x = tensor(new Float32Array(5000).fill(1), { requiresGrad: true });
  x.mul(3).sum().backward();
  const g = x.grad!;
  x.zeroGrad();
  expect((g._storage as WasmStorage).resident).toBe(true);
  expect(g.data[0]).toBe(3);
});

/**
 * Three steps of the optimiser `make` builds, on `backend`, of w = sin(1..24) against the loss
 * sum(w * cos(step * i)): the values and the saved state.
 */
function trainThree(backend: 'wasm' | 'js', make: (w: Tensor) => SGD | Adam): { values: number[]; state: string } {
  setBackend(backend);
  const w = tensor(
    Array.from({ length: 24 }, (_, i) => Math.sin(i + 1)),
    { requiresGrad: true },
  );
  const opt = make(w);
  for (let step = 1; step <= 3; step++) {
    opt.zeroGrad();
    w.mul(tensor(Array.from({ length: 24 }, (_, i) => Math.cos(step * i))))
      .sum()
      .backward();
    opt.step();
  }
  return { values: w.toArray() as number[], state: JSON.stringify(opt.stateDict()) };
}

test('SGD steps on wasm (the fused kernel) give the JS backend loops bit for bit, with and without weight decay', () => {
  for (const wd of [0, 0.01]) {
    const make = (w: Tensor) => new SGD([w], { lr: 0.37, weightDecay: wd });
    const fromWasm = trainThree('wasm', make).values;
    expect(fromWasm).toEqual(trainThree('js', make).values);
    // w0 = sin 1 moved by -0.37 * (cos 0 + wd*w) three times.
    expect(fromWasm[0]).toBeCloseTo(Math.sin(1) - 3 * 0.37 * (1 + wd * Math.sin(1)), 2);
  }
});

test.each([
  ['SGD with momentum and dampening', 'sgd', (w: Tensor) => new SGD([w], { lr: 0.37, momentum: 0.9, dampening: 0.1 })],
  [
    'SGD with Nesterov momentum and weight decay',
    'sgd',
    (w: Tensor) => new SGD([w], { lr: 0.37, momentum: 0.9, nesterov: true, weightDecay: 0.01 }),
  ],
  ['Adam', 'adam', (w: Tensor) => new Adam([w], { lr: 0.05 })],
  [
    'Adam with L2 weight decay and beta1 0.3',
    'adam',
    (w: Tensor) => new Adam([w], { lr: 0.05, betas: [0.3, 0.999], weightDecay: 0.1 }),
  ],
  ['AdamW', 'adam', (w: Tensor) => new AdamW([w], { lr: 0.05, weightDecay: 0.1 })],
] as const)(
  '%s on wasm (the %s kernel, state copied in and out) gives the JS backend loop bit for bit',
  (_, kernel, make) => {
    setBackend('wasm');
    const calls = jest.spyOn(wasmBackend(), kernel);
    try {
      const fromWasm = trainThree('wasm', make);
      expect(calls).toHaveBeenCalledTimes(3);
      expect(fromWasm).toEqual(trainThree('js', make));
      expect(fromWasm.values[0]).not.toBe(Math.fround(Math.sin(1)));
    } finally {
      calls.mockRestore();
    }
  },
);
