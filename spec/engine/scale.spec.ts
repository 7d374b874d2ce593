/**
 * Graphs as large as a training loop builds: deep chains and wide fan-in, without recursion.
 * (Kept apart from graph.spec.ts so that mutation runs, which repeat the engine specs for every
 * mutant, can leave these seconds-long specs out.)
 */
import { Value } from '../../lib';

describe('large graphs', () => {
  test('a 1,000,000-node chain works without recursion', () => {
    const x = new Value(1);
    let y = x;
    for (let i = 0; i < 1_000_000; i++) y = y.add(1);
    y.backward();
    expect(x.grad).toBe(1);
    expect(y.data).toBe(1_000_001);
  });

  test('the deep chain y = 1.0001 y + 0.0001 has dy/dx = 1.0001^N', () => {
    const x = new Value(1);
    let y = x;
    const n = 200_000;
    for (let i = 0; i < n; i++) y = y.mul(1.0001).add(0.0001);
    y.backward();
    expect(Math.abs(x.grad / 1.0001 ** n - 1)).toBeLessThan(1e-9);
  });

  test('a wide fan-in (one leaf used 100,000 times) sums every contribution', () => {
    const x = new Value(1);
    const terms: Value[] = [];
    for (let i = 0; i < 100_000; i++) terms.push(x.mul(2));
    Value.sum(terms).backward();
    expect(x.grad).toBe(200_000);
  });
});
