/**
 * The wasm memory manager: size classes, block reuse, views that survive memory growth,
 * deterministic release/evict, the budget that bounds memory in a synchronous loop, and the
 * JS fallback for float64 and for buffers outside wasm memory.
 */
import { execFileSync } from 'child_process';
import * as path from 'path';
import { WasmAllocator } from '../../../lib/backends/wasm/allocator';
import { WasmHeap, WasmStorage } from '../../../lib/backends/wasm/heap';
import { mergeAxes } from '../../../lib/backends/wasm/ops';
import { wasmOnly } from './helpers';

test('size classes: multiples of 16 up to 256 bytes, then four per power of two', () => {
  expect([1, 16, 17, 256, 257, 320, 321, 1000, 4096, 5000].map((n) => WasmAllocator.classSize(n))).toEqual([
    16, 16, 32, 256, 320, 320, 384, 1024, 4096, 5120,
  ]);
});

test('freed blocks are reused by the next request of the same class; views follow memory growth', () => {
  const { wasm } = wasmOnly();
  const a = wasm.alloc('float32', 1000) as WasmStorage;
  const ptr = a.ptr;
  wasm.release(a);
  const b = wasm.alloc('float32', 1010) as WasmStorage;
  expect(b.ptr).toBe(ptr);
  b.view()[1009] = 42;
  const before = wasm.kernels.memory.buffer.byteLength;
  const big = wasm.alloc('float32', 4_000_000); // grows the memory, detaching older ArrayBuffers
  expect(wasm.kernels.memory.buffer.byteLength).toBeGreaterThan(before);
  expect(b.view()[1009]).toBe(42);
  expect(big.view().length).toBe(4_000_000);
});

test('evict moves the elements to the JS heap and frees the block; view() or prepare() brings them back', () => {
  const { wasm } = wasmOnly();
  const s = wasm.fromArray('float32', [1, 2, 3]) as WasmStorage;
  const live = wasm.heap.allocator.liveBytes;
  wasm.evict(s);
  expect(s.resident).toBe(false);
  expect(wasm.heap.allocator.liveBytes).toBe(live - 16);
  expect(s.host === null ? null : Array.from(s.host)).toEqual([1, 2, 3]);
  // view() takes a free block back when that needs no growth (so no other view detaches).
  expect(Array.from(s.view())).toEqual([1, 2, 3]);
  expect(s.resident).toBe(true);
  expect(s.view().buffer).toBe(wasm.kernels.memory.buffer);
  expect(wasm.heap.allocator.liveBytes).toBe(live);
  wasm.evict(s);
  wasm.prepare(s);
  expect(s.resident).toBe(true);
  const out = wasm.alloc('float32', 3);
  wasm.unary('neg', s.view(), out.view());
  expect(Array.from(out.view())).toEqual([-1, -2, -3]);
});

test('view() of an evicted storage stays on the JS heap when a block would need the memory to grow', () => {
  const { wasm } = wasmOnly();
  const s = wasm.fromArray('float32', new Float32Array(1 << 20).fill(5)) as WasmStorage;
  wasm.evict(s);
  const filler = wasm.alloc('float32', 3); // takes nothing from s's class
  const buffer = wasm.kernels.memory.buffer;
  // s's 4 MiB block went to the free list: view() reuses it...
  expect(s.view().buffer).toBe(buffer);
  wasm.evict(s);
  // ...but not once something else took it and the bump pointer is at the end of the memory.
  const taker = wasm.alloc('float32', 1 << 20);
  const grownTo = wasm.kernels.memory.buffer.byteLength;
  const top = wasm.heap.allocator.highWater;
  expect(s.view()[7]).toBe(5);
  expect(s.resident).toBe(top + (4 << 20) <= grownTo);
  expect(wasm.kernels.memory.buffer.byteLength).toBe(grownTo);
  expect(filler.length + taker.length).toBe(3 + (1 << 20));
});

test('the budget bounds wasm memory in a synchronous loop that never frees anything', () => {
  const { wasm } = wasmOnly({ budgetBytes: 1 << 20 });
  const kept = wasm.fromArray('float32', [7, 8, 9]);
  let last = kept;
  for (let step = 0; step < 2000; step++) {
    last = wasm.alloc('float32', 1000); // 4 kB each, never released: 8 MB in all
    last.view()[0] = step;
  }
  expect(wasm.heap.budgetEvictions).toBeGreaterThanOrEqual(7);
  expect(wasm.heap.residentBytes).toBeLessThanOrEqual(1 << 20);
  expect(wasm.kernels.memory.buffer.byteLength).toBeLessThan(6 << 20);
  expect(Array.from(kept.view())).toEqual([7, 8, 9]);
  expect(last.view()[0]).toBe(1999);
});

test('float64 storage and kernels go to the fallback', () => {
  const { wasm, calls } = wasmOnly();
  const s = wasm.alloc('float64', 4);
  expect(s.view()).toBeInstanceOf(Float64Array);
  wasm.unary('exp', s.view(), s.view());
  wasm.matmul(s.view(), s.view(), s.view(), 1, 2, 2, 2, 0, 0, false, false);
  expect(calls).toEqual(['alloc', 'unary', 'matmul']);
});

test('mergeAxes joins contiguous axes and drops axes of length 1', () => {
  expect(
    mergeAxes(
      [2, 3],
      [
        [3, 1],
        [0, 0],
      ],
    ),
  ).toEqual({ shape: [6], strides: [[1], [0]] });
  expect(
    mergeAxes(
      [2, 1, 3],
      [
        [3, 3, 1],
        [1, 0, 0],
      ],
    ),
  ).toEqual({
    shape: [2, 3],
    strides: [
      [3, 1],
      [1, 0],
    ],
  });
  expect(mergeAxes([1, 1], [[0, 0]])).toEqual({ shape: [1], strides: [[0]] });
});

test('after a synchronous burst, storages are held weakly: dropped ones free their blocks when collected', () => {
  // In a fresh process: finalizers run some time after a collection, and in a jest worker that
  // has run other spec files they were seen not to run within 20 s.
  const script = path.join(__dirname, 'fixtures', 'finalizer-burst.ts');
  const output = execFileSync(process.execPath, ['--expose-gc', '-r', 'ts-node/register/transpile-only', script], {
    encoding: 'utf8',
  });
  expect(JSON.parse(output)).toEqual({
    residentCount: 1,
    freed: 50 * 1024,
    keptValues: [1, 2, 3],
    afterEvict: 0,
    evicted: [1, 2, 3],
  });
}, 60_000);

test('alloc is zero-filled even on a reused block; empty skips the fill', () => {
  const { wasm } = wasmOnly();
  const a = wasm.fromArray('float32', [1, 2, 3, 4, 5]);
  wasm.release(a);
  const b = wasm.alloc('float32', 5);
  expect(Array.from(b.view())).toEqual([0, 0, 0, 0, 0]);
  b.view().set([6, 7, 8, 9, 10]);
  wasm.release(b);
  expect(Array.from(wasm.empty('float32', 5).view())).toEqual([6, 7, 8, 9, 10]);
});

describe('adoption: a storage of another heap moves into the active one', () => {
  afterEach(() => {
    WasmHeap.active = null;
  });

  test('view() moves it into a free block of the active heap and frees its old block', () => {
    const { wasm: from } = wasmOnly();
    const { wasm: to } = wasmOnly();
    const s = from.fromArray('float32', [1, 2, 3]) as WasmStorage;
    const room = to.alloc('float32', 3) as WasmStorage; // a free block of the class, once released
    const roomPtr = room.ptr;
    to.release(room);
    const fromLive = from.heap.allocator.liveBytes;
    WasmHeap.active = to.heap;
    const view = s.view();
    expect(s.heap).toBe(to.heap);
    expect(s.ptr).toBe(roomPtr);
    expect(to.holds(view)).toBe(true);
    expect(Array.from(view)).toEqual([1, 2, 3]);
    expect(from.heap.allocator.liveBytes).toBe(fromLive - 16);
    expect(to.heap.residentBytes).toBe(16);
  });

  test('with no room, view() leaves it where it is, and the active heap’s next alloc (which may grow) moves it', () => {
    const { wasm: from } = wasmOnly();
    const { wasm: to } = wasmOnly();
    const s = from.fromArray('float32', new Array<number>(100_000).fill(7)) as WasmStorage;
    WasmHeap.active = to.heap;
    expect(from.holds(s.view())).toBe(true); // 400 KB: no free block, no room below the end
    expect(s.heap).toBe(from.heap);
    to.alloc('float32', 4);
    expect(s.heap).toBe(to.heap);
    expect(s.view()[99_999]).toBe(7);
    expect(to.holds(s.view())).toBe(true);
    expect(from.heap.residentCount).toBe(0);
  });

  test('an evicted storage moves from its JS copy; a released one and one of the active heap stay', () => {
    const { wasm: from } = wasmOnly();
    const { wasm: to } = wasmOnly();
    const evicted = from.fromArray('float32', [4, 5]) as WasmStorage;
    from.evict(evicted);
    const released = from.fromArray('float32', [6]) as WasmStorage;
    from.release(released);
    const own = to.fromArray('float32', [8]) as WasmStorage;
    const ptr = own.ptr;
    WasmHeap.active = to.heap;
    to.alloc('float32', 1);
    expect(Array.from(evicted.view())).toEqual([4, 5]);
    to.alloc('float32', 1); // moves anything queued
    expect(evicted.heap).toBe(to.heap);
    expect(evicted.resident).toBe(true);
    expect(to.heap.adopt(released, true)).toBe(false);
    expect(released.heap).toBe(from.heap);
    expect(to.heap.adopt(own, true)).toBe(false);
    expect(own.ptr).toBe(ptr);
  });

  test('a storage moved out during the old heap’s backward pass is not freed by that pass', () => {
    const { wasm: from } = wasmOnly();
    const { wasm: to } = wasmOnly();
    expect(from.heap.capture()).toBe(true);
    const s = from.alloc('float32', 2) as WasmStorage;
    s.view().set([3, 4]);
    WasmHeap.active = to.heap;
    to.heap.adopt(s, true);
    from.heap.endCapture(true);
    expect(s.resident).toBe(true);
    expect(Array.from(s.view())).toEqual([3, 4]);
  });

  test('no active heap (the JS backend in use): nothing moves', () => {
    const { wasm: from } = wasmOnly();
    const s = from.fromArray('float32', [1]) as WasmStorage;
    s.view();
    expect(s.heap).toBe(from.heap);
  });
});
