/** Every op's graph-building rule (used by createGraph) against finite differences of its first derivative. */
import { Value, gradcheck } from '../../lib';

const cases: [string, (...xs: Value[]) => Value, number[]][] = [
  ['add/sub', (x, y) => x.add(y).mul(x).sub(y.mul(y)), [0.7, -1.3]],
  ['mul', (x, y) => x.mul(y).mul(x), [0.7, -1.3]],
  ['div', (x, y) => x.div(y).add(x.div(3)), [0.7, -1.3]],
  ['neg', (x) => x.neg().mul(x).mul(x), [0.7]],
  ['pow by number', (x) => x.pow(3.5), [1.7]],
  ['pow by Value', (x, y) => x.pow(y), [1.7, 2.3]],
  ['exp', (x) => x.exp().mul(x), [0.4]],
  ['log', (x) => x.log().mul(x), [1.4]],
  ['log1p', (x) => x.log1p().mul(x), [0.4]],
  ['sqrt', (x) => x.sqrt().mul(x), [1.4]],
  ['sin', (x) => x.sin().mul(x), [0.4]],
  ['cos', (x) => x.cos().mul(x), [0.4]],
  ['tanh', (x) => x.tanh().mul(x), [0.4]],
  ['sigmoid', (x) => x.sigmoid().mul(x), [0.4]],
  ['softplus', (x) => x.softplus().mul(x), [0.4]],
  ['relu', (x) => x.relu().mul(x).mul(x), [0.4]],
  ['leakyRelu', (x) => x.leakyRelu(0.1).mul(x).mul(x), [-0.4]],
  ['abs', (x) => x.abs().mul(x).mul(x), [-0.4]],
  ['clamp', (x) => x.clamp(-1, 1).mul(x).mul(x), [0.4]],
  ['max/min', (x, y) => x.max(y).mul(x.min(y)).mul(x), [0.4, 1.3]],
  ['sum', (x, y) => Value.sum([x.mul(y), y, 2]).mul(x), [0.4, 1.3]],
  ['dot', (x, y) => Value.dot([x, y, 2], [y, x, x], x).mul(y), [0.4, 1.3]],
];

test.each(cases)('%s: second derivatives match finite differences of the first', (_, f, at) => {
  const result = gradcheck(f, at, { secondOrder: true });
  expect(result).toMatchObject({ ok: true });
});
