/**
 * `t.data` is an array user code can keep (lib/tensor/tensor-base.ts): on wasm it moves the
 * elements to the JS heap, so neither the wasm memory growing nor its blocks being reused by
 * other tensors can change or empty what the user holds; writes reach the tensor until an op
 * reads it, and `.data` read again shows the tensor as it is then.
 */
import { setBackend, tensor } from '../../lib';
import { wasmBackend } from '../../lib/tensor/backend-choice';
import type { WasmStorage } from '../../lib/backends/wasm/heap';

beforeAll(() => setBackend('wasm'));

test('a kept .data survives the wasm memory growing and its old block being reused', () => {
  const t = tensor(
    Array.from({ length: 1000 }, (_, i) => i),
    { requiresGrad: true },
  );
  const kept = t.data;
  expect((t._storage as WasmStorage).resident).toBe(false); // moved to the JS heap
  // Reuse: tensors of the same size class take free blocks; growth: 64 MB more memory.
  const others = Array.from({ length: 50 }, () => tensor(new Float32Array(1000).fill(-7)));
  const before = wasmBackend().heap.memory.buffer.byteLength;
  const big = tensor(new Float32Array(16 * 2 ** 20).fill(3));
  expect(wasmBackend().heap.memory.buffer.byteLength).toBeGreaterThan(before);
  expect(kept.length).toBe(1000);
  expect(Array.from(kept.subarray(0, 4))).toEqual([0, 1, 2, 3]);
  expect(kept[999]).toBe(999);
  expect(others[49].data[0] + big.data[0]).toBe(-4);
});

test('writes to .data reach the tensor; after an op reads it, .data read again shows the tensor now', () => {
  const t = tensor([1, 2, 3]);
  t.data[0] = 10; // immediate write-through
  expect(t.mul(2).toArray()).toEqual([20, 4, 6]);
  const first = t.data;
  t.add_(1); // an op that reads and changes t
  expect(Array.from(first)).toEqual([10, 2, 3]); // a snapshot from before the op
  expect(Array.from(t.data)).toEqual([11, 3, 4]); // read again: the tensor now
});

test('the library reads tensors in place: a training step does not move parameters or gradients out of wasm memory', () => {
  const w = tensor([0.5, -0.25], { requiresGrad: true });
  const x = tensor([2, 4]);
  for (let i = 0; i < 3; i++) {
    w.zeroGrad();
    w.mul(x).sum().backward();
    // The pass sent w its gradient without reading w.data (the engine core never calls the
    // accessor), and toArray() reads through the live view: w never left wasm memory.
    expect((w._storage as WasmStorage).resident).toBe(true);
    expect(w.toArray()).toHaveLength(2);
    expect((w._storage as WasmStorage).resident).toBe(true);
  }
  expect((w._storage as WasmStorage).resident).toBe(true);
  expect(w.mul(x).sum().item()).toBe(0);
});
