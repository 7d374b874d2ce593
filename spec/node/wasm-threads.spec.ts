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

/** Sleeps `ms` (blocking, as the calling thread does in join). */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * A threaded backend (deterministic build, minFlops 0) whose fallback records calls, and whose
 * pool records each call's job count and how many of them the calling thread ran. The calling
 * thread pauses 20 ms in its first job (job 0, always its own), so the workers claim others.
 */
function recordedBackend(threads: number, blocks?: { kc: number; mc: number; nc: number }) {
  const calls: string[] = [];
  const { backend: wasm, pool } = threadedBackend(threads, false, 0, { fallback: recordingFallback(calls), blocks });
  const record = { jobs: [] as number[], here: [] as number[] };
  const run = pool.run.bind(pool);
  pool.run = (jobs, helperWork, runHere) => {
    let here = 0;
    run(jobs, helperWork, (args) => {
      if (here++ === 0) pause(20);
      runHere(args);
    });
    record.jobs.push(jobs.length);
    record.here.push(here);
  };
  return { wasm, pool, calls, record };
}

describe('a threaded WasmBackend (two and three threads)', () => {
  const two = recordedBackend(2);
  const three = recordedBackend(3, { kc: 16, mc: 8, nc: 16 });
  afterAll(() => {
    two.pool.stop();
    three.pool.stop();
  });
  const values = seeded(11);
  /** Jobs of the exactness cases below, and how many of them the calling thread ran. */
  const ran = { jobs: 0, here: 0 };

  const cases: [number, number, number, number, number, number, boolean, boolean, number][] = [
    // batch, m, k, n, aBatchStride, bBatchStride, transA, transB, jobs with two threads
    [1, 64, 784, 128, 0, 0, false, false, 4], // by columns (n > m)
    [1, 784, 64, 128, 0, 0, true, false, 4], // by rows
    [1, 64, 128, 784, 0, 0, false, true, 4],
    [1, 6, 9, 21, 0, 0, true, true, 3], // too few rows: columns 0-8, 8-16, 16-21
    [2, 5, 9, 40, 5 * 9, 9 * 40, true, true, 3], // columns 0-16, 16-32, 32-40
    [1, 33, 65, 17, 0, 0, true, true, 3],
    [1, 9, 5, 3, 0, 0, false, false, 3], // rows 0-4, 4-8, 8-9
    [8, 16, 9, 50, 0, 9 * 50, false, false, 4], // conv2d's shape: one weight, a batch of columns
    [3, 12, 7, 5, 12 * 7, 7 * 5, false, true, 3], // batch 3 on two threads: by rows
    [3, 5, 7, 6, 5 * 7, 0, true, false, 3], // too few rows and columns: by pairs
    [1, 7, 3, 3, 0, 0, false, false, 1], // too few rows and columns, one pair: not split
  ];

  test.each(cases)(
    'batch %i, m=%i k=%i n=%i (strides %i, %i, transA %s transB %s) equals the f32 loop bit for bit',
    (batch, m, k, n, aStride, bStride, transA, transB, jobs) => {
      const a = values(Math.max(1, aStride === 0 ? m * k : batch * aStride));
      const b = values(Math.max(1, bStride === 0 ? k * n : batch * bStride));
      const want = reference(a, b, batch, m, k, n, aStride, bStride, transA, transB);
      for (const { wasm, record } of [two, three]) {
        record.jobs.length = 0;
        record.here.length = 0;
        const sa = put(wasm, a),
          sb = put(wasm, b),
          sc = wasm.empty('float32', batch * m * n);
        sc.view().fill(NaN); // rows a worker failed to write would stay NaN
        wasm.matmul(sa.view(), sb.view(), sc.view(), batch, m, k, n, aStride, bStride, transA, transB);
        expect(Array.from(sc.view())).toEqual(want);
        if (wasm === two.wasm) expect(record.jobs).toEqual(jobs === 1 ? [] : [jobs]);
        ran.jobs += record.jobs.reduce((a, b) => a + b, 0);
        ran.here += record.here.reduce((a, b) => a + b, 0);
      }
      expect(two.calls).toEqual([]);
      expect(three.calls).toEqual([]);
    },
  );

  test('the workers ran jobs of the calls above (the caller paused in each call’s first job)', () => {
    // Any one call may find its worker slow to wake (a loaded CI machine), so this counts them all.
    expect(ran.jobs).toBeGreaterThan(40);
    expect(ran.here).toBeLessThan(ran.jobs * 0.75);
  });

  test('three threads: six jobs, the caller running job 0', () => {
    three.record.jobs.length = 0;
    three.record.here.length = 0;
    const [m, k, n] = [96, 40, 24];
    const a = values(m * k),
      b = values(k * n);
    const sc = three.wasm.alloc('float32', m * n);
    three.wasm.matmul(put(three.wasm, a).view(), put(three.wasm, b).view(), sc.view(), 1, m, k, n, 0, 0, false, false);
    expect(three.record.jobs).toEqual([6]);
    expect(three.record.here[0]).toBeGreaterThanOrEqual(1);
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
      let runs = 0;
      const poolRun = pool.run.bind(pool);
      pool.run = (jobs, helperWork, runHere) => {
        runs++;
        poolRun(jobs, helperWork, runHere);
      };
      const run = (size: number) => {
        const a = wasm.alloc('float32', size * size),
          c = wasm.alloc('float32', size * size);
        wasm.matmul(a.view(), a.view(), c.view(), 1, size, size, size, 0, 0, false, false);
      };
      run(63);
      expect(runs).toBe(0);
      run(64); // exactly minFlops
      expect(runs).toBe(1);
    } finally {
      pool.stop();
    }
  });
});

describe('WorkerPool', () => {
  test('waitReady throws, stopping the workers, when one has not started in time or cannot instantiate the module', () => {
    const memory = sharedMemory();
    const slow = new WorkerPool(1, 0, memory, compile(MATMUL_SHARED_WASM));
    expect(() => slow.waitReady(0)).toThrow('useWasmThreads: worker 1 did not start within 0 ms');
    // A module importing a function the workers do not provide: instantiation fails.
    const missing = compile(
      Buffer.from([
        0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 2, 15, 1, 3, 0x65, 0x6e, 0x76, 7, 0x6d, 0x69, 0x73, 0x73,
        0x69, 0x6e, 0x67, 0, 0,
      ]).toString('base64'),
    );
    const broken = new WorkerPool(2, 0, memory, missing);
    expect(() => broken.waitReady(30_000)).toThrow(
      'useWasmThreads: worker 1 could not instantiate the shared-memory kernels (this Node lacks WebAssembly threads or SIMD)',
    );
  });

  test('after stop, no worker takes a job: the caller runs them all', () => {
    const pool = new WorkerPool(1, 0, sharedMemory(), compile(MATMUL_SHARED_WASM));
    pool.waitReady(30_000);
    pool.stop();
    const noop = [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 16, 8, 16, 0, 0, 0, 0];
    let here = 0;
    pool.run([noop, noop, noop], [0], () => {
      here++;
      pause(20);
    });
    expect(here).toBe(3);
  });

  test('a call has at most 127 jobs', () => {
    const pool = new WorkerPool(1, 0, sharedMemory(), compile(MATMUL_SHARED_WASM));
    try {
      const noop = [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 16, 8, 16, 0, 0, 0, 0];
      expect(() => pool.run(new Array<number[]>(128).fill(noop), [0], () => undefined)).toThrow(
        new RangeError('WorkerPool.run: at most 127 jobs per call, got 128'),
      );
      let here = 0;
      pool.run(new Array<number[]>(127).fill(noop), [0], () => here++);
      expect(here).toBeLessThanOrEqual(127);
    } finally {
      pool.stop();
    }
  });

  test('a worker that traps in the kernel makes run throw once all jobs are done, and the pool works again after', () => {
    const memory = sharedMemory(); // one page: 64 KiB
    const pool = new WorkerPool(1, 0, memory, compile(MATMUL_SHARED_WASM));
    const here: number[] = [];
    // The caller's jobs only record and pause, so the worker claims the rest.
    const runHere = (args: readonly number[]) => {
      here.push(args[15]); // its row start
      pause(500);
    };
    try {
      pool.waitReady(30_000);
      // C at 1 GiB: far outside the memory, so the worker's first store traps.
      const bad = [0, 0, 2 ** 30, 1, 4, 4, 8, 0, 0, 0, 0, 0, 16, 8, 16, 0, 4, 0, 8];
      expect(() => pool.run([bad, bad], [4096], runHere)).toThrow(
        'useWasmThreads: a worker thread failed in the matmul kernel',
      );
      expect(here).toEqual([0]); // job 0 is the caller's; the worker took job 1 and trapped
      // Valid jobs afterwards: C = A x B for 4x1 and 1x8 (A at byte 0, B at 16), rows 0-2 and 2-4.
      const f32 = new Float32Array(memory.buffer);
      f32.set([1, 2, 3, 4], 0);
      f32.set([1, 1, 1, 1, 1, 1, 1, 1], 4);
      f32.fill(NaN, 16, 48); // C at byte 64
      const job = (rowStart: number) => [0, 16, 64, 1, 4, 1, 8, 0, 0, 0, 0, 0, 16, 8, 16, rowStart, rowStart + 2, 0, 8];
      here.length = 0;
      pool.run([job(0), job(2)], [4096], runHere);
      expect(here).toEqual([0]); // the caller took job 0 (and computed nothing): rows 0-1 stay NaN
      expect(Array.from(new Float32Array(memory.buffer, 64 + 2 * 32, 16))).toEqual(
        [3, 4].flatMap((x) => new Array<number>(8).fill(x)),
      );
    } finally {
      pool.stop();
    }
  });

  test('an error in the caller’s job is thrown after the workers finish theirs', () => {
    const memory = sharedMemory();
    const pool = new WorkerPool(1, 0, memory, compile(MATMUL_SHARED_WASM));
    try {
      pool.waitReady(30_000);
      const noop = [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 16, 8, 16, 0, 0, 0, 0];
      expect(() =>
        pool.run([noop, noop], [4096], () => {
          pause(50);
          throw new Error('caller failed');
        }),
      ).toThrow('caller failed');
      pool.run([noop, noop], [4096], () => undefined); // still usable
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
    let runs = 0;
    const run = backend.helpers!.run.bind(backend.helpers);
    (backend.helpers as { run: typeof run }).run = (jobs, helperWork, runHere) => {
      runs++;
      run(jobs, helperWork, runHere);
    };
    const threaded = train();
    expect(runs).toBeGreaterThan(10);
    expect(threaded).toEqual(one);
  });

  test('tensors made before move into the threaded memory as ops read them (and back after useWasmThreads(1))', () => {
    setBackend('wasm', { fma: false });
    const single = currentBackend() as WasmBackend;
    const rng = seededRng(3);
    const w = randn([256, 256], { rng });
    const x = randn([64, 256], { rng });
    const want = Array.from(x.matmul(w).data);
    useWasmThreads(2, { fma: false });
    const threaded = currentBackend() as WasmBackend;
    x.matmul(w); // reads them: no room yet in the new memory, so they wait for the next allocation
    const got = x.matmul(w);
    expect([threaded.holds(w._data), threaded.holds(x._data), single.holds(w._data)]).toEqual([true, true, false]);
    expect(Array.from(got.data)).toEqual(want);
    useWasmThreads(1);
    x.matmul(w);
    expect(Array.from(x.matmul(w).data)).toEqual(want);
    expect(single.holds(w._data)).toBe(true);
  });

  test('the same arguments return to the same threads; other ones, or a stop in between, make new ones', () => {
    useWasmThreads(2, { fma: false });
    const first = currentBackend();
    useWasmThreads(2, { fma: 'auto' }); // 'auto' is accepted (STOPGRAD_WASM_FMA=0 in the specs: still no FMA here)
    const auto = currentBackend();
    expect(auto).not.toBe(first);
    useWasmThreads(2, { fma: 'auto' });
    expect(currentBackend()).toBe(auto);
    useWasmThreads(3, { fma: 'auto' });
    const three = currentBackend();
    expect(three).not.toBe(auto);
    useWasmThreads(3, { fma: 'auto', minFlops: 1e6 });
    const lower = currentBackend() as WasmBackend;
    expect(lower).not.toBe(three);
    expect(lower.helpers?.minFlops).toBe(1e6);
    useWasmThreads(1);
    useWasmThreads(3, { fma: 'auto', minFlops: 1e6 });
    expect(currentBackend()).not.toBe(lower); // the old workers were stopped: new ones
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
    expect(() => useWasmThreads(2, 5 as never)).toThrow(
      new TypeError('useWasmThreads(threads, options): options must be an object such as { fma: false }, got 5.'),
    );
    expect(() => useWasmThreads(2, { minFlops: '5' as never })).toThrow(
      new RangeError('useWasmThreads(threads, { minFlops }): expected a number >= 0, got 5.'),
    );
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
