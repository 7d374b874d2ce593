/**
 * Threads for the wasm backend (lib/node/wasm-threads.ts): worker threads over a shared memory
 * take parts of large matmuls. Every threaded result must equal the straightforward float32 loop
 * (which the one-thread kernel equals) bit for bit, with the work really handed to the workers;
 * training on threads must give the single-threaded losses exactly; bad arguments change
 * nothing; and idle workers never keep Node alive.
 */
import { execFile } from 'child_process';
import * as path from 'path';
import {
  SGD,
  conv2d,
  crossEntropy,
  getBackend,
  maxPool2d,
  seededRng,
  randn,
  setBackend,
  tensor,
  type Tensor,
} from '../../lib';
import { useWasmThreads, wasmThreads } from '../../lib/node';
import { threadedBackend } from '../../lib/node/wasm-threads';
import { WorkerPool } from '../../lib/node/worker-pool';
import { compile, sharedMemory } from '../../lib/backends/wasm/module';
import { MATMUL_SHARED_WASM } from '../../lib/backends/wasm/kernels-shared-base64';
import { WasmBackend } from '../../lib/backends/wasm/wasm-backend';
import { put, recordingFallback, reference, seeded } from '../backends/wasm/helpers';
import { currentBackend } from '../../lib/tensor/backend-choice';

/**
 * A threaded backend (deterministic build) whose fallback records calls, with its pool's starts
 * recorded, splitting every call: evenly, not by the measured balance (which keeps small calls
 * on one thread).
 */
function recordedBackend(threads: number, blocks?: { kc: number; mc: number; nc: number }) {
  const calls: string[] = [];
  const { backend: wasm, pool } = threadedBackend(threads, false, 0, { fallback: recordingFallback(calls), blocks });
  pool.share = () => 1 / threads;
  const started: number[] = [];
  const start = pool.start.bind(pool);
  pool.start = (helper, args) => {
    started.push(helper);
    start(helper, args);
  };
  return { wasm, pool, calls, started };
}

describe('a threaded WasmBackend (two and three threads)', () => {
  const two = recordedBackend(2);
  const three = recordedBackend(3, { kc: 16, mc: 8, nc: 16 });
  afterAll(() => {
    two.pool.stop();
    three.pool.stop();
  });
  const values = seeded(11);

  const cases: [number, number, number, number, number, number, boolean, boolean, number][] = [
    // batch, m, k, n, aBatchStride, bBatchStride, transA, transB, parts with two threads
    [1, 64, 784, 128, 0, 0, false, false, 2], // split by columns (n > m)
    [1, 784, 64, 128, 0, 0, true, false, 2], // split by rows
    [1, 64, 128, 784, 0, 0, false, true, 2],
    [1, 6, 9, 21, 0, 0, true, true, 2], // too few rows: columns 0-16 and 16-21
    [2, 5, 9, 40, 5 * 9, 9 * 40, true, true, 2],
    [1, 33, 65, 17, 0, 0, true, true, 2],
    [1, 9, 5, 3, 0, 0, false, false, 2],
    [4, 16, 9, 50, 0, 9 * 50, false, false, 2], // conv2d's shape: one weight, a batch of columns
    [3, 12, 7, 5, 12 * 7, 7 * 5, false, true, 2], // batch 3 on two threads: split by rows
    [3, 5, 7, 6, 5 * 7, 0, true, false, 2], // too few rows: split by pairs, 2 and 1
    [1, 7, 3, 3, 0, 0, false, false, 1], // too few rows, one pair: not split
  ];

  test.each(cases)(
    'batch %i, m=%i k=%i n=%i (strides %i, %i, transA %s transB %s) equals the f32 loop bit for bit',
    (batch, m, k, n, aStride, bStride, transA, transB, parts) => {
      const a = values(Math.max(1, aStride === 0 ? m * k : batch * aStride));
      const b = values(Math.max(1, bStride === 0 ? k * n : batch * bStride));
      const want = reference(a, b, batch, m, k, n, aStride, bStride, transA, transB);
      for (const { wasm, started } of [two, three]) {
        started.length = 0;
        const sa = put(wasm, a),
          sb = put(wasm, b),
          sc = wasm.empty('float32', batch * m * n);
        sc.view().fill(NaN); // rows a worker failed to write would stay NaN
        wasm.matmul(sa.view(), sb.view(), sc.view(), batch, m, k, n, aStride, bStride, transA, transB);
        expect(Array.from(sc.view())).toEqual(want);
        if (wasm === two.wasm) expect(started).toEqual(parts === 2 ? [0] : []);
      }
      expect(two.calls).toEqual([]);
      expect(three.calls).toEqual([]);
    },
  );

  test('uneven splits (as the balance picks when helpers wake late) are exact too', () => {
    for (const share of [0.05, 0.3, 0.7, 0.9]) {
      two.pool.share = () => share;
      for (const [m, k, n, transA] of [
        [64, 100, 128, false],
        [100, 30, 40, true],
      ] as const) {
        const a = values(m * k),
          b = values(k * n);
        const sc = two.wasm.empty('float32', m * n);
        sc.view().fill(NaN);
        two.wasm.matmul(put(two.wasm, a).view(), put(two.wasm, b).view(), sc.view(), 1, m, k, n, 0, 0, transA, false);
        expect({ share, m, same: Array.from(sc.view()) }).toEqual({
          share,
          m,
          same: reference(a, b, 1, m, k, n, 0, 0, transA, false),
        });
      }
    }
    two.pool.share = () => 0.5;
  });

  test('three threads hand two parts out', () => {
    three.started.length = 0;
    const [m, k, n] = [96, 40, 24];
    const a = values(m * k),
      b = values(k * n);
    const sc = three.wasm.alloc('float32', m * n);
    three.wasm.matmul(put(three.wasm, a).view(), put(three.wasm, b).view(), sc.view(), 1, m, k, n, 0, 0, false, false);
    expect(three.started).toEqual([0, 1]);
    expect(Array.from(sc.view())).toEqual(reference(a, b, 1, m, k, n, 0, 0, false, false));
  });

  test('k = 0 zeroes every row, in every part', () => {
    const sc = put(two.wasm, values(16 * 3));
    two.wasm.matmul(put(two.wasm, []).view(), put(two.wasm, []).view(), sc.view(), 1, 16, 0, 3, 0, 0, false, false);
    expect(Array.from(sc.view())).toEqual(new Array<number>(48).fill(0));
  });

  test('after the shared memory grew, the workers read and write the new pages', () => {
    const before = two.wasm.kernels.memory.buffer.byteLength;
    const filler = two.wasm.alloc('float32', 16 * 2 ** 20); // 64 MB: grows the memory
    const [m, k, n] = [40, 30, 20];
    const a = values(m * k),
      b = values(k * n);
    const sa = put(two.wasm, a),
      sb = put(two.wasm, b),
      sc = two.wasm.alloc('float32', m * n);
    expect(sc.view().byteOffset).toBeGreaterThan(before);
    two.wasm.matmul(sa.view(), sb.view(), sc.view(), 1, m, k, n, 0, 0, false, false);
    expect(Array.from(sc.view())).toEqual(reference(a, b, 1, m, k, n, 0, 0, false, false));
    two.wasm.release(filler);
  });

  test('calls under minFlops stay on the calling thread', () => {
    const { backend: wasm, pool } = threadedBackend(2, false, 2 * 64 * 64 * 64, { fallback: recordingFallback([]) });
    try {
      let starts = 0;
      const start = pool.start.bind(pool);
      pool.start = (helper, args) => {
        starts++;
        start(helper, args);
      };
      const run = (size: number) => {
        const a = wasm.alloc('float32', size * size),
          c = wasm.alloc('float32', size * size);
        wasm.matmul(a.view(), a.view(), c.view(), 1, size, size, size, 0, 0, false, false);
      };
      run(63);
      expect(starts).toBe(0);
      run(64); // exactly minFlops
      expect(starts).toBe(1);
    } finally {
      pool.stop();
    }
  });
});

describe('WorkerPool', () => {
  test('a worker that traps in the kernel makes join throw, and the pool works again after', () => {
    const memory = sharedMemory(); // one page: 64 KiB
    const pool = new WorkerPool(1, 0, memory, compile(MATMUL_SHARED_WASM));
    try {
      pool.waitReady(30_000);
      const work = 1024; // the pointers below are what matters
      // C at 1 GiB: far outside the memory, so the worker's first store traps.
      pool.start(0, [0, 0, 2 ** 30, 1, 4, 4, 8, 0, 0, 0, 0, work, 256, 128, 1024, 0, 4, 0, 8]);
      expect(() => pool.join(0, 0)).toThrow('useWasmThreads: a worker thread failed in the matmul kernel');
      // A valid job afterwards: C = A x B for 4x1 and 1x8 in the first page.
      const f32 = new Float32Array(memory.buffer);
      f32.set([1, 2, 3, 4], 0); // A at byte 0
      f32.set([1, 1, 1, 1, 1, 1, 1, 1], 4); // B at byte 16
      pool.start(0, [0, 16, 64, 1, 4, 1, 8, 0, 0, 0, 0, 4096, 16, 8, 16, 0, 4, 0, 8]);
      pool.join(0, 0);
      expect(Array.from(new Float32Array(memory.buffer, 64, 32))).toEqual(
        [1, 2, 3, 4].flatMap((x) => new Array<number>(8).fill(x)),
      );
    } finally {
      pool.stop();
    }
  });
});

describe('useWasmThreads', () => {
  afterEach(() => {
    useWasmThreads(1);
    setBackend('wasm', { fma: false });
  });

  /** Three SGD steps of a small MLP and of a small CNN on the backend in use; the losses. */
  function train(): number[] {
    const rng = seededRng(5);
    const x = randn([32, 96], { rng });
    const w1 = randn([96, 64], { rng }).mul(0.1).detach().requiresGrad_();
    const w2 = randn([64, 10], { rng }).mul(0.1).detach().requiresGrad_();
    const image = randn([8, 1, 12, 12], { rng });
    const kernel = randn([8, 1, 3, 3], { rng }).mul(0.3).detach().requiresGrad_();
    const head = randn([8 * 6 * 6, 10], { rng })
      .mul(0.05)
      .detach()
      .requiresGrad_();
    const labels = Array.from({ length: 32 }, (_, i) => i % 10);
    const params: Tensor[] = [w1, w2, kernel, head];
    const opt = new SGD(params, { lr: 0.1 });
    const losses: number[] = [];
    for (let step = 0; step < 3; step++) {
      const mlp = crossEntropy(x.matmul(w1).relu().matmul(w2), labels);
      const pooled = maxPool2d(conv2d(image, kernel, null, { padding: 1 }).relu(), 2);
      const cnn = crossEntropy(pooled.reshape([8, 8 * 6 * 6]).matmul(head), labels.slice(0, 8));
      const loss = mlp.add(cnn);
      opt.zeroGrad();
      loss.backward();
      opt.step();
      losses.push(loss.item(), mlp.item(), cnn.item());
    }
    return losses;
  }

  test('training an MLP and a CNN on two threads gives the one-thread losses bit for bit', () => {
    setBackend('wasm', { fma: false });
    const one = train();
    useWasmThreads(2, { fma: false, minFlops: 0 });
    const backend = currentBackend() as WasmBackend;
    (backend.helpers as { share: (flops: number) => number }).share = () => 0.4; // split even the small products
    let starts = 0;
    const start = backend.helpers!.start.bind(backend.helpers);
    (backend.helpers as { start: typeof start }).start = (helper, args) => {
      starts++;
      start(helper, args);
    };
    const threaded = train();
    expect(starts).toBeGreaterThan(10);
    expect(threaded).toEqual(one);
  });

  test('switches the engine to a threaded wasm backend, and back with 1', () => {
    expect(wasmThreads()).toBe(1);
    useWasmThreads(3, { fma: false });
    expect(wasmThreads()).toBe(3);
    expect(getBackend()).toBe('wasm');
    const threaded = currentBackend() as WasmBackend;
    expect(threaded.helpers?.size).toBe(2);
    expect(threaded.helpers?.minFlops).toBe(4e6);
    expect(threaded.kernels.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    // Away and back with the same arguments: the same backend and memory, tensors kept.
    const kept = tensor([1, 2, 3]);
    setBackend('js');
    expect(wasmThreads()).toBe(1);
    useWasmThreads(3, { fma: false });
    expect(currentBackend()).toBe(threaded);
    expect(kept.add(1).data).toEqual(Float32Array.from([2, 3, 4]));
    useWasmThreads(1);
    expect(wasmThreads()).toBe(1);
    expect((currentBackend() as WasmBackend).helpers).toBeNull();
    expect(kept.mul(2).data).toEqual(Float32Array.from([2, 4, 6])); // still readable
  });

  test.each([
    [0, RangeError, 'useWasmThreads(threads): expected an integer from 1 to 64 (this thread plus workers), got 0'],
    [1.5, RangeError, 'got 1.5'],
    [65, RangeError, 'got 65'],
    ['2', RangeError, 'got 2;'],
  ])('threads %p is refused with a %p, and nothing changes', (threads, type, message) => {
    const before = currentBackend();
    expect(() => useWasmThreads(threads as number)).toThrow(type);
    expect(() => useWasmThreads(threads as number)).toThrow(message);
    expect(currentBackend()).toBe(before);
  });

  test('bad options are refused, and nothing changes', () => {
    const before = currentBackend();
    expect(() => useWasmThreads(2, null as never)).toThrow(
      new TypeError('useWasmThreads(threads, options): options must be an object such as { fma: false }, got null.'),
    );
    expect(() => useWasmThreads(2, { fma: 'yes' as never })).toThrow(
      new TypeError(`useWasmThreads(threads, { fma }): expected true, false or 'auto', got "yes".`),
    );
    expect(() => useWasmThreads(2, { minFlops: -1 })).toThrow(
      new RangeError('useWasmThreads(threads, { minFlops }): expected a number >= 0, got -1.'),
    );
    expect(() => useWasmThreads(2, { minFlops: NaN })).toThrow(RangeError);
    expect(currentBackend()).toBe(before);
    expect(wasmThreads()).toBe(1);
  });
});

test('idle workers do not keep Node from exiting', async () => {
  const root = path.resolve(__dirname, '../..');
  const script = "require('./lib/node').useWasmThreads(2); console.log('threads', require('./lib/node').wasmThreads())";
  const output = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-e', script],
      { cwd: root, timeout: 60_000 },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
    );
  });
  expect(output.trim()).toBe('threads 2');
}, 90_000);
