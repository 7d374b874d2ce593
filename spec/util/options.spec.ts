/** Every option of every entry point is checked, with a TypeError or RangeError naming it. */
import * as stopgrad from '../../lib';
import { saveGraph } from '../../lib/node';
import {
  Layer,
  MLP,
  Neuron,
  SGD,
  Value,
  batches,
  clipGradNorm_,
  clipGradValue_,
  glorotNormal,
  glorotUniform,
  gradFn,
  gradcheck,
  grad,
  heNormal,
  heUniform,
  makeMoons,
  outline,
  seededRng,
  toDot,
  toSvg,
  valueAndGrad,
} from '../../lib';

const NULL = null as unknown as undefined;
const nullProto = Object.create(null) as never;

describe('a null options object is refused by name, not with "Cannot read properties of null"', () => {
  const sync: [string, () => unknown][] = [
    ['new MLP', () => new MLP(2, [3], NULL)],
    ['new Layer', () => new Layer(2, 3, NULL)],
    ['new Neuron', () => new Neuron(2, NULL)],
    ['toDot(root, options)', () => toDot(new Value(1), NULL)],
    ['outline(root, options)', () => outline(new Value(1), NULL)],
    ['batches(items, batchSize, options)', () => batches([1, 2], 1, NULL)],
    ['gradFn(f, options)', () => gradFn((x: Value) => x, NULL)],
    ['gradFn(f, options)', () => valueAndGrad((x: Value) => x, NULL)],
    ['glorotUniform(fanIn, fanOut, options)', () => glorotUniform(2, 2, NULL)],
    ['glorotNormal(fanIn, fanOut, options)', () => glorotNormal(2, 2, NULL)],
    ['heUniform(fanIn, fanOut, options)', () => heUniform(2, 2, NULL)],
    ['heNormal(fanIn, fanOut, options)', () => heNormal(2, 2, NULL)],
    ['clipGradNorm_(params, maxNorm, normType)', () => clipGradNorm_([new Value(1)], 1, 2, NULL)],
    ['makeMoons(n, options)', () => makeMoons(10, NULL)],
    ['gradcheck(f, inputs, options)', () => gradcheck((x) => x, [1], NULL)],
    ['grad(output, inputs, options)', () => grad(new Value(1), [], NULL)],
  ];
  test.each(sync)('%s', (where, call) => {
    expect(call).toThrow(TypeError);
    expect(call).toThrow(`${where}: options must be an object (or left out), got null.`);
  });

  test.each([
    ['toSvg(root, options)', () => toSvg(new Value(1), NULL)],
    ['saveGraph(root, path, options)', () => saveGraph(new Value(1), 'never-written.dot', NULL)],
  ])('%s', async (where, call) => {
    await expect(call()).rejects.toThrow(`${where}: options must be an object (or left out), got null.`);
  });
});

describe('option values', () => {
  test("SGD's nesterov must be a boolean: 'false' does not turn it on", () => {
    const make = () => new SGD([new Value(1)], { lr: 0.1, momentum: 0.9, nesterov: 'false' as unknown as boolean });
    expect(make).toThrow(TypeError);
    expect(make).toThrow('new SGD: nesterov must be true or false, got "false" (a string).');
  });

  test.each([0, 18, 2.5, NaN, '4'])('toDot and outline refuse digits = %p', (digits) => {
    expect(() => toDot(new Value(1), { digits: digits as number })).toThrow(
      /^toDot\(root, options\): digits must be an integer from 1 to 17, got /,
    );
    expect(() => outline(new Value(1), { digits: digits as number })).toThrow(
      /^outline\(root, options\): digits must be an integer from 1 to 17, got /,
    );
  });

  test('digits at the ends of its range work', () => {
    const x = new Value(Math.PI);
    expect(toDot(x, { digits: 1 })).toContain('data 3 |');
    expect(toDot(x, { digits: 2 })).toContain('data 3.1 |');
    expect(toDot(x, { digits: 17 })).toContain('data 3.141592653589793 |');
  });

  test.each([NaN, Infinity, 0, -3, 1.5])(
    'outline and toDot refuse maxNodes = %p (NaN no longer means "no limit")',
    (maxNodes) => {
      expect(() => outline(new Value(1), { maxNodes })).toThrow(RangeError);
      expect(() => outline(new Value(1), { maxNodes })).toThrow(/maxNodes must be a positive integer/);
      expect(() => toDot(new Value(1), { maxNodes })).toThrow(/maxNodes must be a positive integer/);
    },
  );

  test('toDot refuses a non-boolean shadeGradients and an unknown rankdir', () => {
    expect(() => toDot(new Value(1), { shadeGradients: 'no' as unknown as boolean })).toThrow(
      /shadeGradients must be true or false, got "no" \(a string\)/,
    );
    expect(() => toDot(new Value(1), { rankdir: 'XY' as 'LR' })).toThrow(
      "toDot(root, options): rankdir must be one of 'LR', 'TB', got \"XY\" (a string).",
    );
  });

  test.each([
    ['batches', () => batches([1, 2, 3], 1, { shuffle: true, rng: 5 as never })],
    ['makeMoons', () => makeMoons(10, { rng: 'seeded' as never })],
    ['glorotUniform', () => glorotUniform(2, 2, { rng: {} as never })],
    ['new MLP', () => new MLP(2, [2], { rng: 1 as never })],
  ])('%s refuses an rng that is not a function', (where, call) => {
    expect(call).toThrow(TypeError);
    expect(call).toThrow(new RegExp(`^${where}.*: rng must be a function returning numbers in \\[0, 1\\)`));
  });

  test('batches refuses shuffle or dropLast that are not booleans', () => {
    expect(() => batches([1, 2], 1, { shuffle: 'yes' as never })).toThrow(/shuffle must be true or false/);
    expect(() => batches([1, 2], 1, { dropLast: 1 as never })).toThrow(/dropLast must be true or false, got 1\./);
  });

  test('grad refuses createGraph or allowUnused that are not booleans', () => {
    const x = new Value(2);
    expect(() => grad(x.mul(x), [x], { createGraph: 'false' as never })).toThrow(
      /createGraph must be true or false, got "false"/,
    );
    expect(() => grad(x.mul(x), [x], { allowUnused: 1 as never })).toThrow(
      'grad(output, inputs, options): allowUnused must be true or false, got 1.',
    );
    expect(() => grad(x.mul(x), [x], { createGraph: 1 as never })).toThrow(
      'grad(output, inputs, options): createGraph must be true or false, got 1.',
    );
  });

  test('gradcheck refuses a non-positive eps and negative tolerances', () => {
    expect(() => gradcheck((x) => x, [1], { eps: 0 })).toThrow(/eps must be a finite number > 0, got 0/);
    expect(() => gradcheck((x) => x, [1], { atol: -1 })).toThrow(/atol must be a finite number >= 0, got -1/);
    expect(() => gradcheck((x) => x, [1], { rtol: NaN })).toThrow(
      'gradcheck(f, inputs, options): rtol must be a finite number >= 0, got NaN.',
    );
    expect(() => gradcheck((x) => x, [1], { secondOrder: 'yes' as never })).toThrow(
      /secondOrder must be true or false/,
    );
  });

  test('clipGradNorm_ refuses a non-boolean errorIfNonfinite', () => {
    expect(() => clipGradNorm_([new Value(1)], 1, 2, { errorIfNonfinite: 'true' as never })).toThrow(
      /errorIfNonfinite must be true or false/,
    );
  });

  test('makeMoons refuses a negative or NaN noise', () => {
    expect(() => makeMoons(10, { noise: -1 })).toThrow(
      'makeMoons(n, options): noise must be a finite number >= 0, got -1.',
    );
    expect(() => makeMoons(10, { noise: NaN })).toThrow(/noise must be a finite number >= 0, got NaN/);
  });
});

describe('an rng that returns numbers outside [0, 1)', () => {
  test.each([1, NaN, -0.1, '0.5'])('returning %p is refused instead of losing or duplicating items', (bad) => {
    const rng = () => bad as number;
    expect(() => batches([1, 2, 3, 4], 2, { shuffle: true, rng })).toThrow(RangeError);
    expect(() => batches([1, 2, 3, 4], 2, { shuffle: true, rng })).toThrow(
      /^batches\(items, batchSize, options\): rng must return numbers in \[0, 1\), but it returned /,
    );
    expect(() => makeMoons(10, { rng })).toThrow(/^makeMoons\(n, options\): rng must return numbers in \[0, 1\)/);
    expect(() => new MLP(2, [2], { rng })).toThrow(/^new MLP: rng must return numbers in \[0, 1\)/);
  });

  test('a good rng still gives the same, complete shuffle', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const shuffled = batches(items, 7, { shuffle: true, rng: seededRng(3) }).flat();
    expect([...shuffled].sort((a, b) => a - b)).toEqual(items);
    expect(shuffled).toEqual(batches(items, 7, { shuffle: true, rng: seededRng(3) }).flat());
    expect(shuffled).not.toEqual(items);
  });
});

describe('sizes past what one pass can handle are refused before allocating', () => {
  test.each([
    ['new Layer(nin, nout)', () => new Layer(1000, 200_000), 200_200_000],
    ['new MLP(nin, nouts)', () => new MLP(1000, [200_000]), 200_200_000],
    ['new Neuron(nin)', () => new Neuron(2 ** 25), 2 ** 25 + 1],
    ['makeMoons(n, options)', () => makeMoons(1e300), 1e300],
  ])('%s', (where, call, count) => {
    expect(call).toThrow(RangeError);
    expect(call).toThrow(`${where}: that is ${count} `);
    expect(call).toThrow(/more than the 33554432 \(2\^25\) nodes one backward pass can handle/);
  });

  test('the largest allowed layer is not refused by the check (2^25 parameters)', () => {
    expect(() => new Layer(2 ** 25 - 1, 1, { rng: 'not checked yet' as never })).toThrow(/rng must be a function/);
  });
});

describe('error messages never crash and never contradict themselves', () => {
  test.each([
    [
      'Value.sum',
      () => Value.sum(nullProto),
      /^Value\.sum\(values\): expected an iterable .*got an object with a null prototype\.$/,
    ],
    ['seededRng', () => seededRng(nullProto), /got an object with a null prototype/],
    ['toDot', () => toDot(nullProto), /root must be a Value or a Tensor, got an object with a null prototype/],
    ['makeMoons', () => makeMoons(nullProto), /n must be an integer >= 2, got an object with a null prototype/],
    [
      'glorotUniform',
      () => glorotUniform(nullProto, 2),
      /fanIn must be a positive integer, got an object with a null prototype/,
    ],
    ['Value.dot', () => Value.dot(nullProto, [1]), /got an object with a null prototype and an array of length 1/],
  ])('%s with a null-prototype object', (_, call, message) => {
    expect(call).toThrow(message);
  });

  test('a Value from a second copy of stopgrad is named as such', () => {
    let other: typeof stopgrad | undefined;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a second copy, loaded in an isolated registry
      other = require('../../lib');
    });
    const foreign = new other!.Value(2);
    expect(foreign).not.toBeInstanceOf(Value);
    const call = () => new Value(1).add(foreign);
    expect(call).toThrow(/got a Value from another copy of stopgrad \(two copies of the package are loaded/);
    expect(() => toDot(foreign)).toThrow(/root must be a Value or a Tensor, got a Value from another copy of stopgrad/);
    expect(() => clipGradNorm_([new Value(1), 3 as never], 1)).toThrow(
      /params\[1\] must be a Value or a Tensor, got 3\./,
    );
  });
});

describe('clipping keeps a graph-carrying gradient in step with .grad', () => {
  const setup = () => {
    const a = new Value(3);
    const b = new Value(-4);
    a.mul(a).add(b.mul(b)).backward(1, { createGraph: true });
    expect([a.grad, b.grad, a.gradValue!.data, b.gradValue!.data]).toEqual([6, -8, 6, -8]);
    return [a, b];
  };

  test('clipGradNorm_', () => {
    const [a, b] = setup();
    clipGradNorm_([a, b], 1);
    const c = 1 / (10 + 1e-6);
    expect([a.grad, b.grad]).toEqual([6 * c, -8 * c]);
    expect([a.gradValue!.data, b.gradValue!.data]).toEqual([a.grad, b.grad]);
    // The scaled gradient still differentiates: d(2a * c)/da = 2c.
    const ga = a.gradValue;
    a.zeroGrad();
    ga!.backward();
    expect(a.grad).toBeCloseTo(2 * c, 15);
  });

  test('clipGradValue_', () => {
    const [a, b] = setup();
    clipGradValue_([a, b], 7);
    expect([a.grad, b.grad]).toEqual([6, -7]);
    expect([a.gradValue!.data, b.gradValue!.data]).toEqual([6, -7]);
  });
});
