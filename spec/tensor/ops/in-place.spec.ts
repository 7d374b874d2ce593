/** In-place ops: results, the version counter kept with the storage, the error a stale saved tensor raises, and when in-place changes are refused. */
import { Tensor, noGrad, ones, tensor, zeros } from '../../../lib';
import { expectTensorClose, f64 } from '../../helpers/tensor-gradcheck';

const version = (t: Tensor) => t._storage.version;

/** The message of the error `f` throws ('' if none). */
function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    return (error as Error).message;
  }
  return '';
}

describe('results', () => {
  test('each op changes the tensor, returns it, and bumps the version once', () => {
    const x = f64([
      [1, 2],
      [3, 4],
    ]);
    const steps: [string, () => Tensor, number[][]][] = [
      [
        'add_ (broadcast row)',
        () => x.add_(f64([10, 20])),
        [
          [11, 22],
          [13, 24],
        ],
      ],
      [
        'sub_ (number)',
        () => x.sub_(1),
        [
          [10, 21],
          [12, 23],
        ],
      ],
      [
        'mul_ (broadcast column)',
        () => x.mul_(f64([[2], [3]])),
        [
          [20, 42],
          [36, 69],
        ],
      ],
      [
        'div_ (0-d)',
        () => x.div_(f64(2)),
        [
          [10, 21],
          [18, 34.5],
        ],
      ],
      [
        'clamp_',
        () => x.clamp_(15, 30),
        [
          [15, 21],
          [18, 30],
        ],
      ],
      [
        'copy_ (broadcast)',
        () => x.copy_(f64([7, 8])),
        [
          [7, 8],
          [7, 8],
        ],
      ],
      [
        'fill_',
        () => x.fill_(2.5),
        [
          [2.5, 2.5],
          [2.5, 2.5],
        ],
      ],
      [
        'zero_',
        () => x.zero_(),
        [
          [0, 0],
          [0, 0],
        ],
      ],
    ];
    steps.forEach(([, step, want], i) => {
      expect(step()).toBe(x);
      expect(x.toArray()).toEqual(want);
      expect(version(x)).toBe(i + 1);
    });
  });

  test('float32 in-place results round to float32', () => {
    const x = tensor([0.1]);
    x.add_(0.2);
    expect(x.item()).toBe(Math.fround(Math.fround(0.1) + 0.2));
  });

  test('a reshape view and a detach() share the storage and its version', () => {
    const x = f64([1, 2, 3]);
    const v = x.reshape([3, 1]);
    const d = x.detach();
    v.add_(1);
    expect(x.toArray()).toEqual([2, 3, 4]);
    expect(d.toArray()).toEqual([2, 3, 4]);
    expect([version(x), version(v), version(d)]).toEqual([1, 1, 1]);
    d.mul_(2);
    expect(x.toArray()).toEqual([4, 6, 8]);
    expect(version(x)).toBe(2);
  });

  test('a shape the result cannot keep is refused with both shapes, and nothing changes (not even the version)', () => {
    const x = zeros([3], { dtype: 'float64' });
    expect(errorOf(() => x.add_(ones([2, 3], { dtype: 'float64' })))).toBe(
      "add_(): the operand of shape [2, 3] would broadcast this tensor of shape [3] to [2, 3]; in place, the result must keep this tensor's shape.",
    );
    expect(errorOf(() => x.mul_(ones([2])))).toMatch(/^mul_\(\): shapes \[3\] and \[2\] cannot be broadcast together/);
    expect(errorOf(() => x.copy_(ones([2])))).toMatch(
      /^copy_\(\): shapes \[3\] and \[2\] cannot be broadcast together/,
    );
    expect(x.toArray()).toEqual([0, 0, 0]);
    expect(version(x)).toBe(0);
  });
});

describe('the version-counter error', () => {
  test('mul saves its inputs: changing one in place makes backward throw naming the op, the tensor and both versions', () => {
    const w = f64([1, 2, 3], true);
    const c = f64([4, 5, 6]);
    c.label = 'scale';
    const y = w.mul(c);
    c.add_(1);
    const message = errorOf(() => y.sum().backward());
    expect(message).toBe(
      "backward(): a tensor needed by 'mul' to compute gradients (input 1 'scale', shape [3]) was modified by an in-place operation: " +
        "it is at version 1, but 'mul' saved it at version 0. Use the out-of-place op (x.add(y) instead of x.add_(y)), or clone() the tensor before changing it.",
    );
    expect(w.grad).toBeNull();
  });

  test('without the in-place change the same graph gives the right gradient', () => {
    const w = f64([1, 2, 3], true);
    const c = f64([4, 5, 6]);
    w.mul(c).sum().backward();
    expectTensorClose(w.grad!, [4, 5, 6]);
  });

  test('a change through a detach()ed copy is seen, because the version lives with the storage', () => {
    const w = f64([1, 2, 3], true);
    const y = w.mul(w);
    w.detach().mul_(10);
    expect(errorOf(() => y.sum().backward())).toMatch(
      /^backward\(\): a tensor needed by 'mul' to compute gradients \(input 0, shape \[3\]\) was modified by an in-place operation: it is at version 1, but 'mul' saved it at version 0\./,
    );
  });

  test('an op whose rule reads its output (exp) catches a change to the output made under noGrad', () => {
    const x = f64([0, 1], true);
    const y = x.exp();
    noGrad(() => y.mul_(2));
    expect(errorOf(() => y.sum().backward())).toMatch(
      /needed by 'exp' to compute gradients \(its output, shape \[2\]\).*at version 1, but 'exp' saved it at version 0/,
    );
  });

  test('two changes are reported as version 2', () => {
    const w = f64([1], true);
    const c = f64([2]);
    const y = c.div(w);
    c.add_(1).add_(1);
    expect(errorOf(() => y.sum().backward())).toContain("it is at version 2, but 'div' saved it at version 0");
  });

  test('an op that reads nothing (add) is not disturbed, and its gradient stays right', () => {
    const w = f64([1, 2], true);
    const c = f64([3, 4]);
    const y = w.add(c);
    c.fill_(100);
    y.mul(f64([2, 3]))
      .sum()
      .backward();
    expectTensorClose(w.grad!, [2, 3]);
  });
});

describe('in-place on tensors that require grad', () => {
  test('is refused on a leaf outside noGrad, leaving data and version unchanged', () => {
    const w = f64([1, 2], true);
    for (const f of [
      () => w.add_(1),
      () => w.mul_(2),
      () => w.zero_(),
      () => w.fill_(1),
      () => w.copy_(f64([0, 0])),
      () => w.clamp_(0, 1),
      () => w.sub_(1),
      () => w.div_(2),
    ]) {
      expect(errorOf(f)).toMatch(
        /^(add|mul|zero|fill|copy|clamp|sub|div)_\(\): this leaf requires grad, and changing it in place would make the gradients computed from it wrong\. Update parameters under noGrad/,
      );
    }
    expect(w.toArray()).toEqual([1, 2]);
    expect(version(w)).toBe(0);
  });

  test('is allowed under noGrad: an SGD step', () => {
    const w = f64([1, 2], true);
    w.mul(w).sum().backward();
    noGrad(() => w.sub_(w.grad!.mul(0.25)));
    expect(w.toArray()).toEqual([0.5, 1]);
    expect(w.requiresGrad).toBe(true);
    expect(w.isLeaf).toBe(true);
    expect(version(w)).toBe(1);
  });

  test('is refused on a non-leaf of a graph outside noGrad, naming the op that made it', () => {
    const w = f64([1, 2], true);
    const h = w.exp();
    expect(errorOf(() => h.add_(1))).toBe(
      "add_(): this tensor is part of a graph (produced by 'exp'), and stopgrad does not differentiate in-place ops. Use the out-of-place op (x.add(y) instead of x.add_(y)).",
    );
  });

  test('is allowed on a tensor that needs no grad', () => {
    const c = f64([1]);
    c.add_(1);
    expect(c.item()).toBe(2);
  });
});
