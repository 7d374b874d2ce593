/**
 * Memory on the wasm backend with no dispose (lib/backends/wasm/README.md): backward() frees
 * what it allocated except the gradients it leaves in .grad, forward tensors nothing read for
 * two steps move to the JS heap, and what user code holds stays readable.
 */
import { Tensor, crossEntropy, getBackend, noGrad, randn, seededRng, setBackend, tensor, toValues } from '../../lib';
import { setFlagsFromString } from 'node:v8';
import { fmaSupported } from '../../lib/backends/wasm/module';
import { wasmBackend } from '../../lib/tensor/backend-choice';
import type { WasmStorage } from '../../lib/backends/wasm/heap';

beforeAll(() => setBackend('wasm'));

const heap = () => wasmBackend().heap;

function smallMlp(): { params: Tensor[]; step: () => number } {
  const rng = seededRng(3);
  const w1 = randn([32, 16], { rng }).mul(0.3).requiresGrad_();
  const b1 = tensor(new Float32Array(16), { requiresGrad: true });
  const w2 = randn([16, 4], { rng }).mul(0.3).requiresGrad_();
  const b2 = tensor(new Float32Array(4), { requiresGrad: true });
  const params = [w1, b1, w2, b2];
  const labels = [0, 1, 2, 3, 1, 2, 3, 0];
  const step = (): number => {
    const x = randn([8, 32], { rng }); // a new batch every step, as a data loader gives
    const loss = crossEntropy(x.matmul(w1).add(b1).relu().matmul(w2).add(b2), labels);
    for (const p of params) p.zeroGrad();
    loss.backward();
    noGrad(() => params.forEach((p) => p.sub_(p.grad!.mul(0.05))));
    return loss.item();
  };
  return { params, step };
}

test('the default backend is wasm in Node', () => {
  expect(getBackend()).toBe('wasm');
  expect(tensor([1])._storage.constructor.name).toBe('WasmStorage');
});

test('2,000 synchronous MLP steps: wasm memory, resident bytes and live blocks stay flat after the first steps', () => {
  const { step } = smallMlp();
  for (let i = 0; i < 20; i++) step();
  const memory = heap().memory.buffer.byteLength;
  const resident = heap().residentBytes;
  const live = heap().allocator.liveBytes;
  const budgetEvictions = heap().budgetEvictions;
  let maxResident = resident;
  for (let i = 0; i < 2000; i++) {
    step();
    maxResident = Math.max(maxResident, heap().residentBytes);
  }
  // Bound: nothing grows; the resident set varies by at most one step's tensors (< 16 KiB here).
  expect(heap().memory.buffer.byteLength).toBe(memory);
  expect(maxResident - resident).toBeLessThan(16 * 1024);
  expect(Math.abs(heap().allocator.liveBytes - live)).toBeLessThan(16 * 1024);
  expect(heap().budgetEvictions).toBe(budgetEvictions); // the budget backstop was never needed
});

test('backward frees its temporaries: it leaves only the new .grad buffer allocated', () => {
  const flush = tensor([1], { requiresGrad: true });
  for (let i = 0; i < 3; i++) flush.mul(2).sum().backward(); // older storages go stale and leave
  const x = tensor(new Float32Array(1000).fill(0.5), { requiresGrad: true });
  const y = x.mul(2).exp().mul(x).sum();
  const live = heap().allocator.liveBytes;
  y.backward();
  // x.grad (1000 floats: a 4096-byte block) and the seed; the rule's four 4 KB temporaries are freed.
  expect(heap().allocator.liveBytes - live).toBeLessThan(4096 + 256);
  expect(x.grad!.data[0]).toBeCloseTo(Math.exp(1) * 2, 5); // d/dx x e^(2x) = e^(2x)(1 + 2x)
});

test('a backward pass from a Value through tensors frees its tensor temporaries too', () => {
  const flush = tensor([1], { requiresGrad: true });
  for (let i = 0; i < 3; i++) flush.mul(2).sum().backward();
  const x = tensor(new Float32Array(1000).fill(0.5), { requiresGrad: true });
  const [total] = toValues(x.mul(2).exp().mul(x).sum().reshape([1]));
  const live = heap().allocator.liveBytes;
  total.mul(3).backward();
  expect(heap().allocator.liveBytes - live).toBeLessThan(4096 + 256);
  expect(x.grad!.data[0]).toBeCloseTo(3 * Math.exp(1) * 2, 4);
});

test('what user code holds survives: .grad, retainGrad, a held intermediate, a gradient a hook kept', () => {
  const x = tensor([1, 2, 3], { requiresGrad: true });
  const y = tensor([4, 5, 6], { requiresGrad: true });
  const h = x.mul(y).retainGrad();
  let seen: Tensor | null = null;
  const z = h.add(x);
  z.registerHook((g) => {
    seen = g;
  });
  z.sum().backward();
  // Many later steps: h is stale and moves to the JS heap, still readable.
  const { step } = smallMlp();
  for (let i = 0; i < 50; i++) step();
  expect(x.grad!.toArray()).toEqual([5, 6, 7]);
  expect(y.grad!.toArray()).toEqual([1, 2, 3]);
  expect(h.grad!.toArray()).toEqual([1, 1, 1]);
  expect(h.toArray()).toEqual([4, 10, 18]);
  expect(seen!.toArray()).toEqual([1, 1, 1]);
  expect((h._storage as WasmStorage).resident).toBe(true); // toArray() brought it back
});

test('two leaves that receive one gradient buffer get separate .grad storages', () => {
  const a = tensor([1, 2], { requiresGrad: true });
  const b = tensor([3, 4], { requiresGrad: true });
  a.add(b).sum().backward();
  expect(a.grad!._storage).not.toBe(b.grad!._storage);
  a.grad!.add_(10);
  expect(b.grad!.toArray()).toEqual([1, 1]);
  expect(a.grad!.toArray()).toEqual([11, 11]);
});

test('setBackend switches, tensors from both backends mix, and a bad name is refused', () => {
  setBackend('js');
  try {
    expect(getBackend()).toBe('js');
    const j = tensor([1, 2]);
    expect(j._storage.constructor.name).toBe('ArrayStorage');
    setBackend('wasm');
    const w = tensor([3, 4]);
    expect(w.add(j).toArray()).toEqual([4, 6]);
    expect(j.mul(w).toArray()).toEqual([3, 8]);
    expect(() => setBackend('gpu' as 'js')).toThrow(/setBackend\(name\): expected 'js' or 'wasm', got "gpu"/);
  } finally {
    setBackend('wasm');
  }
});

test("setBackend('wasm', { fma }) picks the matmul build; tensors of the previous wasm memory stay usable", () => {
  const before = wasmBackend();
  expect(before.fma).toBe(false); // the specs pin the deterministic build (spec/setup-env.ts)
  const old = tensor([1, 2, 3, 4], { shape: [2, 2] });
  expect(() => setBackend('wasm', { fma: 'yes' as 'auto' })).toThrow(
    `setBackend(name, { fma }): expected true, false or 'auto', got "yes".`,
  );
  expect(() => setBackend('wasm', null as unknown as { fma?: boolean })).toThrow(
    /options must be an object such as \{ fma: false \}, got null/,
  );
  expect(wasmBackend()).toBe(before); // refused calls changed nothing
  setBackend('wasm', { fma: false });
  expect(wasmBackend()).toBe(before); // same choice: same backend
  try {
    // Node 20 validates relaxed SIMD behind this flag (later versions ship it).
    if (!fmaSupported()) setFlagsFromString('--experimental-wasm-relaxed-simd');
    setBackend('wasm', { fma: true });
    const now = wasmBackend();
    expect(now).not.toBe(before);
    expect(now.fma).toBe(true);
    setBackend('wasm', { fma: 'auto' }); // resolves to the FMA build here
    expect(wasmBackend()).toBe(now);
    expect(getBackend()).toBe('wasm');
    const fresh = tensor([1, 0, 0, 1], { shape: [2, 2] });
    expect(old.matmul(fresh).toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(fresh.matmul(old).toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
  } finally {
    setBackend('wasm', { fma: false });
  }
});
