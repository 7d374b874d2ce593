/** Drawing tensor graphs: nodes show shapes (and dtype when not float32), gradients as max |g|, and the stop-gradient marks. */
import { Value, detectAnomaly, explainGrad, fromValues, tensor, toDot, toSvg } from '../../lib';

test('a tensor graph draws each node with its shape, its op, and the cut made by detach_()', () => {
  const x = tensor(
    [
      [1, 2],
      [3, 4],
    ],
    { requiresGrad: true, label: 'x' },
  );
  const w = tensor([0.5, -2], { requiresGrad: true, dtype: 'float64', label: 'w' });
  const h = x.mul(w).detach_();
  const loss = h.add(x).sum();
  loss.backward();
  const dot = toDot(loss);
  expect(dot).toContain('x | [2, 2] | grad max|g| 1');
  expect(dot).toContain('[] float64 | no grad'); // float32 x with float64 w promotes; non-leaves keep no .grad, as in PyTorch
  expect(dot).toContain('label="sum"');
  expect(dot).toContain('[2, 2] float64 | no grad | detach_()');
  expect(dot).not.toMatch(/label="w/); // cut off by detach_: w is no longer reachable
});

test('a NaN anywhere in a tensor gradient fills the node magenta; a mixed graph draws Values beside Tensors', () => {
  const a = new Value(2, { label: 'a' });
  const t = fromValues([a, 3], [2]);
  const y = t
    .log()
    .mul(tensor([NaN, 1]))
    .sum();
  y.backward();
  const dot = toDot(y);
  expect(dot).toMatch(/a \| data 2 \| grad NaN[^\n]*fillcolor="#ff66ff"/);
  expect(dot).toContain('[2] float64 | no grad');
  expect(dot).toContain('label="fromValues"');
});

test('toSvg draws a tensor graph', async () => {
  const x = tensor([1, 2], { requiresGrad: true });
  const svg = await toSvg(x.mul(2).sum());
  expect(svg).toMatch(/^<\?xml[\s\S]*<svg[\s\S]*\[2\][\s\S]*<\/svg>\s*$/);
});

test('detectAnomaly on tensors names the op whose rule made a finite gradient infinite', () => {
  expect(() =>
    detectAnomaly(() => {
      const x = tensor([0, 1], { requiresGrad: true });
      x.sqrt().sum().backward();
    }),
  ).toThrow(
    /detectAnomaly: the backward rule of 'sqrt' produced a non-finite gradient for one of its inputs from a finite gradient\. The 'sqrt' node was created at .*tensor-dot\.spec\.ts/,
  );
});

describe('explainGrad on tensors', () => {
  test('flows: reports the largest |gradient| element, seeding a non-scalar output with ones', () => {
    const x = tensor([1, -3], { requiresGrad: true, label: 'x' });
    const e = explainGrad(x.mul(2), x);
    expect([e.verdict, e.gradient]).toEqual(['flows', 2]);
    expect(e.message).toBe("Gradient flows: max |d output / d 'x'| = 2.");
  });

  test('cut: names the tensor detached in place, with its shape', () => {
    const x = tensor([1, 2], { requiresGrad: true, label: 'x' });
    const w = tensor([5, 6], { requiresGrad: true });
    const h = x.mul(3).detach_();
    const e = explainGrad(h.add(w).sum(), x);
    expect([e.verdict, e.cause, e.node]).toEqual(['cut', 'detached-in-place', h]);
    expect(e.message).toContain('The path is cut at a leaf (shape [2]), which was detached in place with detach_()');
  });

  test('zero: a relu below 0 everywhere gives 0, and the tensor ops are not inspected element by element', () => {
    const x = tensor([-1, -2], { requiresGrad: true, label: 'x' });
    const e = explainGrad(x.relu().sum(), x);
    expect([e.verdict, e.gradient]).toEqual(['zero', 0]);
    expect(e.message).toContain('tensor ops are not inspected element by element');
  });

  test('a Value reached through a tensor', () => {
    const a = new Value(2, { label: 'a' });
    const e = explainGrad(
      fromValues([a, 1], [2])
        .mul(tensor([3, 4]))
        .sum(),
      a,
    );
    expect([e.verdict, e.gradient]).toEqual(['flows', 3]);
  });
});
