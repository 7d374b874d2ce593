/** matmul with PyTorch's rules: 1-D, 2-D, batched and broadcast batches; values against a plain loop, gradients at first and second order, shape errors. */
import { Tensor, matmul, randn, seededRng, tensor } from '../../../lib';
import { expectGradientsMatch, expectSecondOrderMatch, expectTensorClose, f64 } from '../../helpers/tensor-gradcheck';

/** Irregular values of `shape` as nested arrays. */
function values(shape: number[], salt: number): unknown {
  let i = 0;
  const build = (dim: number): unknown =>
    dim === shape.length ? Math.sin(2.3 * i++ + salt) : Array.from({ length: shape[dim] }, () => build(dim + 1));
  return build(0);
}

/** The product by the definition, batch dimensions broadcast, in float64. */
function reference(a: Tensor, b: Tensor): { shape: number[]; data: number[] } {
  const a2 = a.ndim === 1 ? [1, a.shape[0]] : a.shape.slice();
  const b2 = b.ndim === 1 ? [b.shape[0], 1] : b.shape.slice();
  const [m, k] = a2.slice(-2);
  const n = b2[b2.length - 1];
  const ba = a2.slice(0, -2);
  const bb = b2.slice(0, -2);
  const nb = Math.max(ba.length, bb.length);
  const pad = (s: number[]) => [...Array(nb - s.length).fill(1), ...s];
  const pa = pad(ba);
  const pb = pad(bb);
  const batch = pa.map((d, i) => Math.max(d, pb[i]));
  const count = batch.reduce((p, d) => p * d, 1);
  const offset = (own: number[], index: number) => {
    let flat = 0;
    let rest = index;
    const coords = batch.map(() => 0);
    for (let i = batch.length - 1; i >= 0; i--) {
      coords[i] = rest % batch[i];
      rest = Math.floor(rest / batch[i]);
    }
    for (let i = 0; i < own.length; i++) flat = flat * own[i] + (own[i] === 1 ? 0 : coords[i]);
    return flat;
  };
  const data: number[] = [];
  for (let t = 0; t < count; t++) {
    const oa = offset(pa, t) * m * k;
    const ob = offset(pb, t) * k * n;
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a.data[oa + i * k + p] * b.data[ob + p * n + j];
        data.push(s);
      }
  }
  const shape = [...batch, m, n];
  if (a.ndim === 1) shape.splice(shape.length - 2, 1);
  if (b.ndim === 1) shape.splice(shape.length - 1, 1);
  return { shape, data };
}

const cases: [string, number[], number[], number[]][] = [
  ['1-D · 1-D (dot product)', [3], [3], []],
  ['2-D · 1-D (matrix-vector)', [2, 3], [3], [2]],
  ['1-D · 2-D (vector-matrix)', [3], [3, 4], [4]],
  ['2-D · 2-D', [2, 3], [3, 4], [2, 4]],
  ['batched · batched', [2, 2, 3], [2, 3, 4], [2, 2, 4]],
  ['batched · 2-D', [2, 2, 3], [3, 4], [2, 2, 4]],
  ['2-D · batched', [2, 3], [3, 3, 4], [3, 2, 4]],
  ['broadcast batches [2, 1] with [3]', [2, 1, 2, 3], [3, 3, 4], [2, 3, 2, 4]],
  ['1-D · batched', [3], [2, 3, 4], [2, 4]],
  ['batched · 1-D', [2, 2, 3], [3], [2, 2]],
];

describe.each(cases)('%s: %j by %j', (_, sa, sb, out) => {
  const a = values(sa, 0.1) as number[];
  const b = values(sb, 0.7) as number[];

  test(`gives shape ${JSON.stringify(out)} and the values of a plain loop`, () => {
    const ta = f64(a);
    const tb = f64(b);
    const y = matmul(ta, tb);
    const want = reference(ta, tb);
    expect(y.shape).toEqual(out);
    expect(want.shape).toEqual(out);
    expectTensorClose(y.reshape([-1]), want.data, 1e-14);
  });

  test('first-order gradients match central differences', () => expectGradientsMatch((x, y) => x.matmul(y), [a, b]));

  test('second-order gradients match finite differences of the first', () =>
    expectSecondOrderMatch((x, y) => x.matmul(y), [a, b]));
});

describe('values', () => {
  test('[[1, 2], [3, 4]] · [[5, 6], [7, 8]] and a dot product', () => {
    expect(
      f64([
        [1, 2],
        [3, 4],
      ])
        .matmul(
          f64([
            [5, 6],
            [7, 8],
          ]),
        )
        .toArray(),
    ).toEqual([
      [19, 22],
      [43, 50],
    ]);
    expect(
      f64([1, 2, 3])
        .matmul(f64([4, 5, 6]))
        .item(),
    ).toBe(32);
  });

  test('the gradients of C = A·B are G·Bᵀ and Aᵀ·G', () => {
    const a = f64(
      [
        [1, 2],
        [3, 4],
      ],
      true,
    );
    const b = f64(
      [
        [5, 6],
        [7, 8],
      ],
      true,
    );
    a.matmul(b).backward(
      f64([
        [1, 0],
        [0, 2],
      ]),
    );
    expectTensorClose(a.grad!, [
      [5, 7],
      [12, 16],
    ]);
    expectTensorClose(b.grad!, [
      [1, 6],
      [2, 8],
    ]);
  });

  test('a larger product (sizes that are no multiple of a block) matches the plain loop, and its gradients match the formulas', () => {
    const rng = seededRng(3);
    const a = randn([37, 53], { rng, dtype: 'float64', requiresGrad: true });
    const b = randn([53, 29], { rng, dtype: 'float64', requiresGrad: true });
    const c = a.matmul(b);
    expectTensorClose(c.reshape([-1]), reference(a, b).data, 1e-12);
    const g = randn([37, 29], { rng, dtype: 'float64' });
    c.backward(g);
    expectTensorClose(a.grad!.reshape([-1]), reference(g, b.detach().transpose()).data, 1e-12);
    expectTensorClose(b.grad!.reshape([-1]), reference(a.detach().transpose(), g).data, 1e-12);
  });

  test('float32 inputs give a float32 product; mixed dtypes promote to float64', () => {
    expect(tensor([[1, 2]]).matmul(tensor([[3], [4]])).dtype).toBe('float32');
    const y = tensor([[1, 2]]).matmul(f64([[3], [4]]));
    expect(y.dtype).toBe('float64');
    expect(y.item()).toBe(11);
  });

  test('a batch operand broadcast across batches gets its gradient summed over them', () => {
    const a = f64([[[1, 0]], [[0, 1]], [[1, 1]]], true); // [3, 1, 2]
    const w = f64([[2], [3]], true); // [2, 1], shared by all 3 batches
    a.matmul(w).sum().backward();
    expectTensorClose(w.grad!, [[2], [2]]);
    expectTensorClose(a.grad!, [[[2, 3]], [[2, 3]], [[2, 3]]]);
  });
});

describe('shape errors print both shapes and the op', () => {
  test('inner dimensions that differ', () => {
    expect(() => f64([[1, 2, 3]]).matmul(f64([[1, 2]]))).toThrow(
      'matmul(): the inner dimensions must match, but shapes [1, 3] and [1, 2] give 3 and 1.',
    );
    expect(() => f64([1, 2]).matmul(f64([1, 2, 3]))).toThrow(
      'matmul(): the inner dimensions must match, but shapes [2] and [3] give 2 and 3.',
    );
  });

  test('batch dimensions that do not broadcast', () => {
    let message = '';
    try {
      f64(values([2, 2, 3], 0) as number[]).matmul(f64(values([3, 3, 4], 0) as number[]));
    } catch (error) {
      expect(error).toBeInstanceOf(RangeError);
      message = (error as Error).message;
    }
    expect(message).toMatch(/^matmul\(\): /);
    expect(message).toContain('[2, 2, 3]');
    expect(message).toContain('[3, 3, 4]');
  });

  test('a 0-d operand', () => {
    expect(() => matmul(f64(2), f64([1]))).toThrow(
      'matmul(): both operands need at least one dimension, got shapes [] and [1]; use mul for scalars.',
    );
  });

  test('a non-tensor operand', () => {
    expect(() => matmul(f64([1]), [1] as unknown as Tensor)).toThrow('matmul(): second operand must be a Tensor');
  });
});
