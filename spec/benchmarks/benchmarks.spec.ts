/** The benchmarks' correctness checks (never their timings): every engine computes the same thing. */
import { measureChain } from '../../benchmarks/deep-chain';
import { checkSameLosses } from '../../benchmarks/mlp-step';
import { naiveMlp } from '../../benchmarks/models/naive-mlp';
import { stopgradNnMlp } from '../../benchmarks/models/stopgrad-mlp';

test('MLP step: the naive port, stopgrad three ways and the fused loop give the same losses', () => {
  const losses = checkSameLosses(3);
  expect(losses).toHaveLength(5);
  for (const row of losses) expect(row.map((l) => l.toFixed(12))).toEqual(losses[0].map((l) => l.toFixed(12)));
  expect(losses[0][0]).toBeCloseTo(1.242647171026838, 15);
});

test('MLP step: the graphs are the sizes the benchmark reports', () => {
  expect(naiveMlp().nodesPerStep()).toBe(68_814);
  expect(stopgradNnMlp().nodesPerStep()).toBe(7_142);
});

test('deep chain: dy/dx = 1.0001^N in stopgrad and in the naive port sorted by an explicit stack', () => {
  expect(measureChain('stopgrad', 20_000).relativeError).toBeLessThan(1e-12);
  expect(measureChain('naive-iterative', 20_000).relativeError).toBeLessThan(1e-12);
  expect(measureChain('naive-recursive', 100_000).error).toBe('RangeError');
});
