/** lib/autograd/backward.ts: Value.backward's refusals word for word, and what a createGraph pass leaves in gradValue. */
import { Value } from '../../lib';

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
