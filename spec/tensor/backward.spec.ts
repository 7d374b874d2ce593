/** Tensor.backward: the seed's examples, selective stop-gradient, accumulation, grad mode, higher order, and its errors — the same semantics as Value. */
import {
  Tensor,
  detectAnomaly,
  enableGrad,
  isGradEnabled,
  log,
  mul,
  noGrad,
  ones,
  onesLike,
  stopGradient,
  tensor,
} from '../../lib';
import { expectTensorClose, f64 } from '../helpers/tensor-gradcheck';

describe("the seed's example on tensors", () => {
  test('x = 3, y = x*x, y.detach_(), (y*x).sum().backward(): x.grad = 9', () => {
    const x = tensor([3], { requiresGrad: true });
    const y = x.mul(x);
    y.detach_();
    y.mul(x).sum().backward();
    expect(x.grad!.toArray()).toEqual([9]);
  });

  test('without the detach_: 27', () => {
    const x = tensor([3], { requiresGrad: true });
    const y = x.mul(x);
    y.mul(x).sum().backward();
    expect(x.grad!.toArray()).toEqual([27]);
  });

  test('elementwise on a vector: x.grad = x*x with the detach_, 3x² without', () => {
    const x = f64([1, 2, 3, -0.5], true);
    const y = x.mul(x);
    y.detach_();
    y.mul(x).sum().backward();
    expectTensorClose(x.grad!, [1, 4, 9, 0.25]);
    const x2 = f64([1, 2, 3, -0.5], true);
    x2.mul(x2).mul(x2).sum().backward();
    expectTensorClose(x2.grad!, [3, 12, 27, 0.75]);
  });

  test('on a 0-d tensor, with an implicit gradient of 1', () => {
    const x = f64(3, true);
    const y = x.mul(x).detach_();
    const z = y.mul(x);
    z.backward();
    expect(x.grad!.shape).toEqual([]);
    expect(x.grad!.item()).toBe(9);
  });
});

describe('selective stop-gradient in a diamond: x = 2, a = 3x, b = x², L = a·b', () => {
  const run = (stop: 'none' | 'a' | 'b') => {
    const x = f64([2, -1, 0.5], true);
    let a = x.mul(3);
    let b = x.mul(x);
    if (stop === 'a') a = stopGradient(a);
    if (stop === 'b') b = stopGradient(b);
    a.mul(b).sum().backward();
    return x.grad!;
  };

  test('dL/dx = 9x² = 36', () => expectTensorClose(run('none'), [36, 9, 2.25]));
  test('with a stopped: a · 2x = 6x² = 24', () => expectTensorClose(run('a'), [24, 6, 1.5]));
  test('with b stopped: 3b = 3x² = 12', () => expectTensorClose(run('b'), [12, 3, 0.75]));

  test('the same with detach() in place of stopGradient, and with detach_() on a node built before the consumer', () => {
    const x = f64([2], true);
    const a = x.mul(3);
    const b = x.mul(x);
    const l = a.mul(b);
    a.detach_();
    l.sum().backward();
    expectTensorClose(x.grad!, [24]);
    const x2 = f64([2], true);
    x2.mul(3).mul(x2.mul(x2).detach()).sum().backward();
    expectTensorClose(x2.grad!, [12]);
  });
});

describe('accumulation', () => {
  test('two backward() calls double every .grad exactly, and intermediate nodes keep nothing', () => {
    const x = f64([0.3, -1.7, 2.9], true);
    const w = f64([[0.2], [1.1], [-0.4]], true);
    const h = x.mul(w).tanh();
    const loss = h.sum().mul(h.mean());
    loss.backward();
    const first = [Array.from(x.grad!.data), Array.from(w.grad!.data)];
    loss.backward();
    expect(Array.from(x.grad!.data)).toEqual(first[0].map((v) => 2 * v));
    expect(Array.from(w.grad!.data)).toEqual(first[1].map((v) => 2 * v));
    expect(h.grad).toBeNull();
  });

  test('gradients from two losses add up', () => {
    const x = f64([1, 2], true);
    x.mul(3).sum().backward();
    x.mul(x).sum().backward();
    expectTensorClose(x.grad!, [5, 7]);
  });

  test('changing .grad in place does not reach a tensor the pass shared', () => {
    const x = f64([1, 2], true);
    const seed = f64([1, 1]);
    x.backward(seed);
    noGrad(() => x.grad!.mul_(5));
    expect(seed.toArray()).toEqual([1, 1]);
  });
});

describe('the gradient argument', () => {
  test('an implicit 1 exists only for a one-element output; otherwise backward asks for the gradient', () => {
    const x = f64([1, 2], true);
    expect(() => x.mul(2).backward()).toThrow(
      'backward(): this tensor has shape [2], and an implicit gradient of 1 exists only for a one-element output. Reduce it to a scalar first (loss.sum() or loss.mean()), or pass the gradient: t.backward(onesLike(t)).',
    );
    expect(x.grad).toBeNull();
  });

  test('a one-element tensor of any rank takes the implicit 1, or a number', () => {
    const x = f64([[2]], true);
    x.mul(x).backward();
    expectTensorClose(x.grad!, [[4]]);
    x.zeroGrad();
    x.mul(x).backward(0.5);
    expectTensorClose(x.grad!, [[2]]);
  });

  test('a gradient tensor weights each output', () => {
    const x = f64([1, 2, 3], true);
    const y = x.mul(x);
    y.backward(f64([1, 0, -1]));
    expectTensorClose(x.grad!, [2, 0, -6]);
    const z = f64([1, 2], true);
    z.exp().backward(onesLike(z));
    expectTensorClose(z.grad!, [Math.E, Math.exp(2)]);
  });

  test('a gradient of another shape is refused with both shapes', () => {
    const x = f64([1, 2], true);
    expect(() => x.mul(2).backward(f64([1, 2, 3]))).toThrow(
      'backward(gradient): gradient has shape [3], but the tensor has shape [2]; they must match.',
    );
    expect(() => x.mul(2).backward('1' as unknown as number)).toThrow(
      'backward(gradient): expected a Tensor (or a number for a one-element tensor)',
    );
  });

  test('backward from a tensor that needs no grad is refused', () => {
    expect(() => f64([1]).mul(2).backward()).toThrow('backward(): this Tensor does not require grad');
  });
});

describe('grad mode', () => {
  test('noGrad records nothing, and the mode comes back even when the function throws', () => {
    const x = f64([1, 2], true);
    const y = noGrad(() => x.mul(2).exp());
    expect([y.requiresGrad, y.isLeaf, y.op, y.parents.length]).toEqual([false, true, '', 0]);
    expect(() =>
      noGrad(() => {
        throw new Error('inside');
      }),
    ).toThrow('inside');
    expect(isGradEnabled()).toBe(true);
    expect(x.mul(2).requiresGrad).toBe(true);
  });

  test('enableGrad records again inside noGrad', () => {
    const x = f64([1, 2], true);
    const y = noGrad(() => enableGrad(() => x.mul(x)));
    expect(y.op).toBe('mul');
    y.sum().backward();
    expectTensorClose(x.grad!, [2, 4]);
  });

  test('hooks run in the caller grad mode of a numeric pass, and the pass records nothing', () => {
    const x = f64([1, 2], true);
    let recorded: boolean | null = null;
    const y = x.mul(x);
    y.registerHook((g) => {
      recorded = g.mul(x).requiresGrad;
    });
    y.sum().backward();
    expect(recorded).toBe(true);
    expect(x.grad!.requiresGrad).toBe(false);
  });
});

describe('higher order through backward(…, { createGraph: true })', () => {
  test('x³: .grad is 3x² with a graph, whose gradient is 6x', () => {
    const x = f64([1, 2], true);
    x.mul(x).mul(x).sum().backward(undefined, { createGraph: true });
    const g = x.grad!;
    expectTensorClose(g, [3, 12]);
    expect(g.requiresGrad).toBe(true);
    x.zeroGrad();
    g.sum().backward();
    expectTensorClose(x.grad!, [6, 12]);
  });

  test('third order: d³/dx³ sin = -cos', () => {
    const x = f64([0.3, 1.2], true);
    x.sin().sum().backward(undefined, { createGraph: true });
    const g1 = x.grad!;
    x.zeroGrad();
    g1.sum().backward(undefined, { createGraph: true });
    const g2 = x.grad!;
    expectTensorClose(g2, [-Math.sin(0.3), -Math.sin(1.2)]);
    x.zeroGrad();
    g2.sum().backward();
    expectTensorClose(x.grad!, [-Math.cos(0.3), -Math.cos(1.2)]);
  });

  test('a gradient penalty: ‖∇ₓ f‖² differentiated with respect to the weights', () => {
    // f = sum(tanh(w * x)); ∂f/∂x = w (1 - tanh²(wx)); penalty = Σ (∂f/∂x)².
    const x = f64([0.5, -0.3], true);
    const w = f64([1.5, 0.8], true);
    x.mul(w).tanh().sum().backward(undefined, { createGraph: true });
    const gx = x.grad!;
    x.zeroGrad();
    w.zeroGrad();
    gx.mul(gx).sum().backward();
    const want = [0.5, -0.3].map((xi, i) => {
      const wi = [1.5, 0.8][i];
      const t = Math.tanh(wi * xi);
      const s = 1 - t * t; // d/dw [w s]² = 2 w s (s + w ds/dw), ds/dw = -2 t s x
      return 2 * wi * s * (s + wi * (-2 * t * s * xi));
    });
    expectTensorClose(w.grad!, want, 1e-14);
  });

  test('stop-gradient holds at every order: detach() and detach_() inside the first-order graph', () => {
    const x = f64([2], true);
    x.mul(x).mul(x.detach()).sum().backward(undefined, { createGraph: true });
    const g = x.grad!;
    expectTensorClose(g, [8]);
    x.zeroGrad();
    g.sum().backward();
    expectTensorClose(x.grad!, [4]); // d/dx 2x·sg(x) = 2 sg(x)
  });

  test('a hook that returns a tensor keeps the gradient differentiable', () => {
    const x = f64([1, 2], true);
    const h = x.mul(x);
    h.registerHook((g) => g.mul(3));
    h.sum().backward(undefined, { createGraph: true });
    const g = x.grad!;
    expectTensorClose(g, [6, 12]);
    x.zeroGrad();
    g.sum().backward();
    expectTensorClose(x.grad!, [6, 6]);
  });

  test('createGraph must be a boolean', () => {
    const x = f64([1], true);
    expect(() =>
      x
        .mul(2)
        .sum()
        .backward(undefined, { createGraph: 'yes' as unknown as boolean }),
    ).toThrow('backward(gradient, { createGraph }): expected a boolean');
  });
});

describe('shapes and dtypes of .grad', () => {
  test('every leaf gets a gradient of its own shape and dtype', () => {
    const a = tensor([[1, 2, 3]], { requiresGrad: true });
    const b = f64([[1], [2]], true);
    const c = tensor(2, { requiresGrad: true });
    a.mul(b).mul(c).sum().backward();
    expect([a.grad!.shape, b.grad!.shape, c.grad!.shape]).toEqual([[1, 3], [2, 1], []]);
    expect([a.grad!.dtype, b.grad!.dtype, c.grad!.dtype]).toEqual(['float32', 'float64', 'float32']);
    expectTensorClose(a.grad!, [[6, 6, 6]]);
    expectTensorClose(b.grad!, [[12], [12]]);
    expect(c.grad!.item()).toBe(18);
  });

  test('a deep chain (10,000 ops) does not overflow the stack', () => {
    const x = f64([1, 2], true);
    let y: Tensor = x;
    for (let i = 0; i < 10_000; i++) y = y.add(1);
    y.sum().backward();
    expectTensorClose(x.grad!, [1, 1]);
    expect(ones([1]).item()).toBe(1);
  });
});

describe('detectAnomaly on tensors', () => {
  test('names the op whose rule made a non-finite gradient, and where the user created it (this file, not the library)', () => {
    const x = f64([0, 1], true);
    let message = '';
    try {
      detectAnomaly(() => x.sqrt().sum().backward());
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(
      /^detectAnomaly: the backward rule of 'sqrt' produced a non-finite gradient for one of its inputs from a finite gradient\. The 'sqrt' node was created at .*backward\.spec\.ts:\d+/,
    );
    expect(x.grad).toBeNull();
  });

  test('the free functions count as the library too', () => {
    const x = f64([0], true);
    let message = '';
    try {
      detectAnomaly(() => mul(log(x), 1).sum().backward());
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/backward rule of 'log'.*created at .*backward\.spec\.ts:\d+/);
  });
});
