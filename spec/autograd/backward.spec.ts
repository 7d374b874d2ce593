/** lib/autograd/backward.ts: Value.backward's refusals word for word, and what a createGraph pass leaves in gradValue. */
import { type Tensor, Value, getBackend, setBackend, tensor } from '../../lib';
import { wasmBackend } from '../../lib/tensor/backend-choice';

describe('Value.backward refusals', () => {
  test('a gradient that is not a number, options that are not an object, a createGraph that is not a boolean', () => {
    const y = new Value(2).mul(3);
    expect(() => y.backward('1' as never)).toThrow(
      new TypeError('backward(gradient): expected a number, got "1" (a string).'),
    );
    for (const [options, got] of [
      [null, 'null'],
      [true, 'true (a boolean)'],
    ] as const) {
      expect(() => y.backward(1, options as never)).toThrow(
        new TypeError(
          `backward(gradient, options): options must be an object such as { createGraph: true }, got ${got}.`,
        ),
      );
    }
    expect(() => y.backward(1, { createGraph: 1 as never })).toThrow(
      new TypeError('backward(gradient, { createGraph }): expected a boolean, got 1.'),
    );
  });

  test('a Value that needs no grad', () => {
    expect(() => new Value(2, { requiresGrad: false }).mul(3).backward()).toThrow(
      new Error(
        'backward(): this Value does not require grad, so no gradient can flow from it. ' +
          'It is a constant, was detached, was computed under noGrad(), or all its inputs need no grad. ' +
          'Compute it from leaves that require grad (new Value(x) does by default; ' +
          'leaf.requiresGrad_() turns it back on), outside noGrad().',
      ),
    );
  });
});

describe('gradValue after backward(g, { createGraph: true })', () => {
  test('the seed is a constant: the gradient of a linear function carries no graph', () => {
    const x = new Value(2);
    x.mul(3).backward(1, { createGraph: true });
    expect([x.grad, x.gradValue!.data, x.gradValue!.requiresGrad]).toEqual([3, 3, false]);
  });

  test('a .grad from an earlier numeric pass enters gradValue as a constant', () => {
    const x = new Value(2);
    x.mul(5).backward();
    x.mul(x).backward(1, { createGraph: true });
    const g = x.gradValue!;
    expect([x.grad, g.data, g.op]).toEqual([9, 9, 'add']);
    const [earlier] = g.parents;
    expect([earlier.data, earlier.requiresGrad, earlier.isLeaf]).toEqual([5, false, true]);
  });

  test('with no earlier .grad, gradValue is the pass gradient itself', () => {
    const x = new Value(2);
    x.mul(x).backward(1, { createGraph: true });
    expect([x.gradValue!.data, x.gradValue!.op === 'add' && x.gradValue!.parents[0].isLeaf]).toEqual([4, false]);
  });
});

describe('wasm memory around a pass', () => {
  let previous: ReturnType<typeof getBackend>;
  beforeAll(() => {
    previous = getBackend();
    setBackend('wasm');
  });
  afterAll(() => setBackend(previous));
  const live = () => wasmBackend().heap.allocator.liveBytes;

  test('a pass no user code watched frees its temporaries, leaving the .grad buffer', () => {
    const x = tensor(new Float32Array(1000).fill(0.5), { requiresGrad: true });
    const y = x.mul(2).exp().mul(x).sum();
    const before = live();
    y.backward();
    // x.grad (1000 floats: a 4096-byte block) and the seed; the rule's 4 KB temporaries are freed.
    expect(live() - before).toBeLessThan(4096 + 256);
  });

  test('a gradient a hook kept stays intact after the pass and after later allocations', () => {
    const x = tensor(new Float32Array(1000).fill(0.5), { requiresGrad: true });
    const h = x.mul(2);
    let seen: Tensor | null = null;
    h.registerHook((g) => {
      seen = g;
    });
    h.exp().sum().backward();
    const expected = Math.fround(Math.exp(1));
    // Fresh buffers of the same size would reuse the kept one's block had it been freed.
    for (let i = 0; i < 8; i++) tensor(new Float32Array(1000).fill(-7)).mul(3);
    expect([seen!.data[0], seen!.data[999]]).toEqual([expected, expected]);
  });
});
