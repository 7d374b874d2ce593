/** The calling thread's share of a threaded matmul, from measured speeds and wake-up times (lib/backends/wasm/balance.ts). */
import { MatmulBalance } from '../../../lib/backends/wasm/balance';

/** A balance that has seen `samples` calls: the caller and each helper at the given ms per MFLOP, helpers waking after `wake` ms. */
function measured(helpers: number, mainMsPerMflop: number, helperMsPerMflop: number, wakes: number[]): MatmulBalance {
  const balance = new MatmulBalance(helpers);
  for (const wake of wakes) {
    balance.observeMain(4e6, 4 * mainMsPerMflop);
    balance.observeHelper(4e6, wake, 4 * helperMsPerMflop);
  }
  return balance;
}

describe('MatmulBalance', () => {
  test('before any measurement: an even share', () => {
    expect(new MatmulBalance(1).share(1e7)).toBe(0.5);
    expect(new MatmulBalance(3).share(1e7)).toBe(0.25);
    const half = new MatmulBalance(1);
    half.observeMain(1e6, 0.1); // the helpers' side still unknown
    expect(half.share(1e7)).toBe(0.5);
  });

  test('equal speeds and no wake-up time: even', () => {
    expect(measured(1, 0.1, 0.1, [0]).share(1e7)).toBeCloseTo(0.5, 12);
    expect(measured(3, 0.1, 0.1, [0]).share(1e7)).toBeCloseTo(0.25, 12);
  });

  test('a wake-up time moves work to the caller: share * main = wake + (1 - share) * helper', () => {
    // 10 MFLOP at 0.1 ms/MFLOP: 1 ms each way; helpers wake after 0.2 ms: (0.2 + 1) / 2.
    expect(measured(1, 0.1, 0.1, [0.2]).share(1e7)).toBeCloseTo(0.6, 12);
    // Three helpers share the rest: helper side 1/3 ms: (0.2 + 1/3) / (1 + 1/3).
    expect(measured(3, 0.1, 0.1, [0.2]).share(1e7)).toBeCloseTo(0.4, 12);
    // The larger the call, the less the wake-up matters.
    expect(measured(1, 0.1, 0.1, [0.2]).share(1e9)).toBeCloseTo(0.501, 12);
  });

  test('a slower helper (a busy core) gets less', () => {
    // helper at 0.3 ms/MFLOP: (0 + 3) / (1 + 3).
    expect(measured(1, 0.1, 0.3, [0]).share(1e7)).toBeCloseTo(0.75, 12);
    // A faster helper gets more than half, but the caller always keeps some.
    expect(measured(1, 0.3, 0.1, [0]).share(1e7)).toBeCloseTo(0.25, 12);
    expect(measured(1, 100, 0.1, [0]).share(1e7)).toBe(0.05);
  });

  test('estimates are medians of recent calls: one wake-up delayed by 50 ms does not move them', () => {
    const balance = measured(1, 0.1, 0.1, [0.2, 0.2, 50, 0.2, 0.2]);
    expect(balance.share(1e7)).toBeCloseTo(0.6, 12);
    // Only the last 15 count: old 0.2 ms samples age out after 15 calls at 0.4 ms.
    for (let i = 0; i < 15; i++) balance.observeHelper(4e6, 0.4, 0.4);
    expect(balance.share(1e7)).toBeCloseTo(0.7, 12);
  });

  test('when waking costs more than it saves, calls stay on one thread, but every 32nd is split evenly to measure again', () => {
    const balance = measured(1, 0.1, 0.1, [2]); // waking takes 2 ms; a 1 MFLOP call takes 0.1 ms
    const shares = Array.from({ length: 64 }, () => balance.share(1e6));
    expect(shares.filter((s) => s === 1).length).toBe(62);
    expect(shares[31]).toBe(0.5);
    expect(shares[63]).toBe(0.5);
    // A large call is still split.
    expect(balance.share(1e9)).toBeCloseTo(0.51, 12); // (2 + 100) / 200
  });

  test('measurements of nothing are ignored', () => {
    const balance = new MatmulBalance(1);
    balance.observeMain(0, 1);
    balance.observeMain(1e6, 0);
    balance.observeHelper(1e6, -5, 0); // a clock that went backwards counts as no wake-up time
    expect(balance.share(1e7)).toBe(0.5);
    balance.observeMain(1e7, 1);
    balance.observeHelper(1e7, 0, 1);
    expect(balance.share(1e7)).toBeCloseTo(0.5, 12);
  });
});
