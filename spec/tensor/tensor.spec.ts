/** The Tensor node: its properties, item/toArray, printing, and the graph controls a tensor carries (detach, detach_, stopGradient, requiresGrad_, retainGrad, zeroGrad, registerHook). */
import * as util from 'util';
import { Tensor, Value, arange, ones, stopGradient, tensor, zeros } from '../../lib';
import { expectTensorClose, f64 } from '../helpers/tensor-gradcheck';

describe('properties', () => {
  test('a leaf: shape, ndim, size, dtype, data, grad, requiresGrad, isLeaf, parents, op, label', () => {
    const x = tensor(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      { requiresGrad: true, label: 'x' },
    );
    expect(x.shape).toEqual([2, 3]);
    expect(x.ndim).toBe(2);
    expect(x.size).toBe(6);
    expect(x.dtype).toBe('float32');
    expect(x.data).toBeInstanceOf(Float32Array);
    expect(Array.from(x.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(x.grad).toBeNull();
    expect(x.requiresGrad).toBe(true);
    expect(x.isLeaf).toBe(true);
    expect(x.parents).toEqual([]);
    expect(x.op).toBe('');
    expect(x.label).toBe('x');
  });

  test('an op result: op, parents (tensors, in order), not a leaf, requires grad', () => {
    const a = f64([1, 2], true);
    const b = f64([3, 4]);
    const y = a.mul(b);
    expect(y.op).toBe('mul');
    expect(y.parents).toEqual([a, b]);
    expect(y.parents[0]).toBe(a);
    expect(y.isLeaf).toBe(false);
    expect(y.requiresGrad).toBe(true);
    expect(y.dtype).toBe('float64');
    expect(y.data).toBeInstanceOf(Float64Array);
  });

  test('an op on tensors that need no grad records nothing', () => {
    const y = f64([1, 2]).mul(f64([3, 4]));
    expect([y.requiresGrad, y.isLeaf, y.op, y.parents.length]).toEqual([false, true, '', 0]);
  });

  test('a 0-d tensor has shape [], ndim 0 and size 1', () => {
    const s = tensor(4);
    expect([s.shape, s.ndim, s.size, s.item(), s.toArray()]).toEqual([[], 0, 1, 4, 4]);
  });

  test('data is shared, not copied', () => {
    const x = f64([1, 2]);
    x.data[1] = 9;
    expect(x.toArray()).toEqual([1, 9]);
  });

  test('label can be set and must be a string', () => {
    const x = tensor([1]);
    x.label = 'bias';
    expect(x.label).toBe('bias');
    expect(() => {
      x.label = 3 as unknown as string;
    }).toThrow('Tensor.label: expected a string, got 3');
  });

  test('grad can be set to null or a tensor of the same shape; anything else is refused with both shapes', () => {
    const x = f64([1, 2], true);
    x.grad = f64([5, 6]);
    expect(x.grad.toArray()).toEqual([5, 6]);
    expect(() => {
      x.grad = f64([1, 2, 3]);
    }).toThrow('Tensor.grad: expected null or a Tensor of shape [2], got shape [3].');
    expect(x.grad.toArray()).toEqual([5, 6]);
    x.grad = null;
    expect(x.grad).toBeNull();
  });
});

describe('item and toArray', () => {
  test('item reads a one-element tensor of any rank and refuses others with the shape', () => {
    expect(tensor([[7]]).item()).toBe(7);
    expect(f64([0.1]).item()).toBe(0.1);
    expect(tensor([0.1]).item()).toBe(Math.fround(0.1));
    expect(() => tensor([1, 2]).item()).toThrow(
      'item(): only a one-element tensor has an item, this one has shape [2].',
    );
  });

  test('toArray gives nested arrays row-major, empty dimensions included', () => {
    expect(arange(6).reshape([3, 1, 2]).toArray()).toEqual([[[0, 1]], [[2, 3]], [[4, 5]]]);
    expect(zeros([2, 0]).toArray()).toEqual([[], []]);
  });
});

describe('printing, like PyTorch and short', () => {
  test('values, shape, dtype when not float32, the op or requiresGrad, and the label', () => {
    expect(
      String(
        tensor(
          [
            [1.5, 2],
            [3, 4],
          ],
          { requiresGrad: true, label: 'w' },
        ),
      ),
    ).toBe('tensor([[1.5, 2], [3, 4]], shape=[2, 2], requiresGrad=true, label="w")');
    expect(String(tensor([1, 2], { requiresGrad: true }).mul(2))).toBe('tensor([2, 4], shape=[2], op=mul)');
    expect(String(f64([[0, 1, 2]]))).toBe('tensor([[0, 1, 2]], shape=[1, 3], dtype=float64)');
    expect(String(tensor(3.14159265))).toBe('tensor(3.142, shape=[])');
    expect(String(tensor([NaN, Infinity, -Infinity]))).toBe('tensor([NaN, Infinity, -Infinity], shape=[3])');
  });

  test('console.log and util.inspect use the same short form', () => {
    const y = tensor([1, 2], { requiresGrad: true }).exp();
    expect(util.inspect(y)).toBe(String(y));
    expect(util.inspect({ y })).toContain('op=exp');
  });

  test('large tensors are elided: the first and last three entries of each dimension', () => {
    expect(String(arange(2000))).toBe('tensor([0, 1, 2, ..., 1997, 1998, 1999], shape=[2000])');
    const big = String(arange(2000).reshape([40, 50]));
    expect(
      big.startsWith(
        'tensor([[0, 1, 2, ..., 47, 48, 49], [50, 51, 52, ..., 97, 98, 99], [100, 101, 102, ..., 147, 148, 149], ..., [1850,',
      ),
    ).toBe(true);
    expect(big.endsWith('[1950, 1951, 1952, ..., 1997, 1998, 1999]], shape=[40, 50])')).toBe(true);
  });

  test('a million elements (3-D) print in under 1,000 characters, never a dump', () => {
    const s = String(zeros([100, 100, 100]));
    expect(s.length).toBeLessThan(1000);
    expect(s).toContain('...');
    expect(s.endsWith('shape=[100, 100, 100])')).toBe(true);
  });

  test('up to 1,000 elements print in full', () => {
    const s = String(ones([1000]));
    expect(s.match(/1/g)!.length).toBeGreaterThanOrEqual(1000);
    expect(s).not.toContain('...');
  });
});

describe('detach', () => {
  test('returns a leaf that needs no grad and shares storage (as PyTorch)', () => {
    const x = f64([1, 2], true);
    const d = x.detach();
    expect([d.requiresGrad, d.isLeaf, d.op]).toEqual([false, true, '']);
    expect(d.shape).toEqual([2]);
    d.data[0] = 5;
    expect(x.toArray()).toEqual([5, 2]);
    expect(d.data).toBe(x.data);
  });

  test('stops the gradient: d/dx [x * detach(x)] = x', () => {
    const x = f64([2, -3], true);
    x.mul(x.detach()).sum().backward();
    expectTensorClose(x.grad!, [2, -3]);
  });
});

describe('stopGradient on tensors', () => {
  test('is detach(): identity forward, zero backward, storage shared', () => {
    const x = f64([2, 3], true);
    const s = stopGradient(x);
    expect(s).toBeInstanceOf(Tensor);
    expect([s.requiresGrad, s.isLeaf]).toEqual([false, true]);
    expect(s.data).toBe(x.data);
    // f(x) = x^2 * sg(x): f' = 2x * x = 8 at 2 (not 3x^2 = 12), 18 at 3.
    x.mul(x).mul(s).sum().backward();
    expectTensorClose(x.grad!, [8, 18]);
  });

  test('holds at second order: d/dx [sg(x) * x] = sg(x), whose derivative is 0', () => {
    const x = f64([2, 3], true);
    stopGradient(x).mul(x).sum().backward(undefined, { createGraph: true });
    const g = x.grad!;
    expectTensorClose(g, [2, 3]);
    expect(g.requiresGrad).toBe(false);
  });

  test('still takes Values and numbers', () => {
    expect(stopGradient(new Value(2))).toBeInstanceOf(Value);
    expect(stopGradient(2).data).toBe(2);
    expect(() => stopGradient('x' as unknown as number)).toThrow(
      'stopGradient(v): expected a Value, a Tensor or a number',
    );
  });
});

describe('detach_', () => {
  test('makes the tensor a leaf that needs no grad, in place, and returns it', () => {
    const x = f64([3], true);
    const y = x.mul(x);
    expect(y.detach_()).toBe(y);
    expect([y.isLeaf, y.requiresGrad, y.op, y.parents.length]).toEqual([true, false, '', 0]);
    expect(y.toArray()).toEqual([9]);
  });

  test('cuts consumers built before the call too (unlike PyTorch, where they keep the old graph)', () => {
    const x = f64([3], true);
    const y = x.mul(x);
    const z = y.mul(x);
    y.detach_();
    z.sum().backward();
    expectTensorClose(x.grad!, [9]);
  });
});

describe('requiresGrad_', () => {
  test('freezes and unfreezes a leaf', () => {
    const w = f64([1, 2], true);
    expect(w.requiresGrad_(false)).toBe(w);
    expect(w.requiresGrad).toBe(false);
    expect(w.mul(2).requiresGrad).toBe(false);
    w.requiresGrad_();
    expect(w.requiresGrad).toBe(true);
    w.mul(3).sum().backward();
    expectTensorClose(w.grad!, [3, 3]);
  });

  test('a frozen leaf gets no gradient while the others do', () => {
    const a = f64([1, 2], true);
    const b = f64([3, 4], true).requiresGrad_(false);
    a.mul(b).sum().backward();
    expectTensorClose(a.grad!, [3, 4]);
    expect(b.grad).toBeNull();
  });

  test('is refused on a non-leaf, naming its op, and takes only booleans', () => {
    const y = f64([1], true).exp();
    expect(() => y.requiresGrad_(false)).toThrow(
      "requiresGrad_(false): only leaves can be frozen or unfrozen, and this Tensor was produced by 'exp'.",
    );
    expect(() => f64([1]).requiresGrad_('yes' as unknown as boolean)).toThrow(
      'requiresGrad_(flag): expected a boolean',
    );
  });
});

describe('retainGrad and zeroGrad', () => {
  test('a non-leaf keeps .grad only after retainGrad() (as PyTorch); leaves always do', () => {
    const x = f64([1, 2], true);
    const h = x.mul(3);
    const k = h.exp();
    expect(h.retainGrad()).toBe(h);
    k.sum().backward();
    expectTensorClose(h.grad!, [Math.exp(3), Math.exp(6)]);
    expect(k.grad).toBeNull();
    expectTensorClose(x.grad!, [3 * Math.exp(3), 3 * Math.exp(6)]);
  });

  test('retainGrad on a tensor that needs no grad is refused', () => {
    expect(() => f64([1]).retainGrad()).toThrow('retainGrad(): this Tensor does not require grad');
  });

  test('zeroGrad sets .grad back to null, and the next pass starts afresh', () => {
    const x = f64([1, 2], true);
    x.mul(5).sum().backward();
    x.zeroGrad();
    expect(x.grad).toBeNull();
    x.mul(2).sum().backward();
    expectTensorClose(x.grad!, [2, 2]);
  });
});

describe('registerHook', () => {
  test('a hook sees the gradient arriving at its node; a returned tensor replaces it (x = 3, y = x², hook doubles, z = 3y: 36)', () => {
    const x = f64([3, 1], true);
    const y = x.mul(x);
    const seen: number[][] = [];
    y.registerHook((g) => {
      seen.push(Array.from(g.data));
      return g.mul(2);
    });
    y.mul(3).sum().backward();
    expect(seen).toEqual([[3, 3]]);
    expectTensorClose(x.grad!, [36, 12]);
  });

  test('a hook on a leaf changes what is stored in .grad; returning nothing keeps the gradient', () => {
    const x = f64([1, 2], true);
    x.registerHook((g) => g.neg());
    x.registerHook(() => undefined);
    x.mul(2).sum().backward();
    expectTensorClose(x.grad!, [-2, -2]);
  });

  test('the returned function removes the hook', () => {
    const x = f64([1], true);
    const remove = x.registerHook((g) => g.mul(10));
    remove();
    x.mul(2).sum().backward();
    expectTensorClose(x.grad!, [2]);
  });

  test('a returned tensor of the wrong shape is refused with both shapes, and no .grad changes', () => {
    const x = f64([1, 2], true);
    const other = f64([5], true);
    x.mul(2).sum().backward();
    const before = x.grad;
    const y = x.mul(other);
    y.registerHook(() => f64([1, 2, 3]));
    expect(() => y.sum().backward()).toThrow(
      'gradient hook: a Tensor hook must return nothing or a Tensor of shape [2], but returned shape [3]. No .grad was changed.',
    );
    expect(x.grad).toBe(before);
    expectTensorClose(x.grad!, [2, 2]);
    expect(other.grad).toBeNull();
  });

  test('a returned non-tensor is refused', () => {
    const x = f64([1, 2], true);
    x.registerHook(() => 3 as unknown as Tensor);
    expect(() => x.sum().backward()).toThrow(
      'gradient hook: a Tensor hook must return nothing or a Tensor of shape [2], but returned 3',
    );
    expect(x.grad).toBeNull();
  });
});
