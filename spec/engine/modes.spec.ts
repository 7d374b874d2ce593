/**
 * lib/engine/modes.ts in detail: which stack frame detectAnomaly names as a node's creation
 * site (read off stack traces made up here, so that every layout of an installed package can
 * be tried), the anomaly messages word for word, and the scopes' refusals.
 */
import { Value, detectAnomaly, enableGrad, noGrad, tensor } from '../../lib';
import { anomalyError } from '../../lib/engine/modes';
import type { GraphNode } from '../../lib/engine/node';

type Modes = typeof import('../../lib/engine/modes');

/**
 * `creationSite()` of a freshly loaded modes module (its own-frame pattern is read off the
 * first stack it sees) for each of `stacks` in turn: every `new Error().stack` reads as the
 * next one.
 */
function sitesFor(...stacks: (string | undefined)[]): string[] {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- restored as it was
  const saved = Error.prepareStackTrace;
  const sites: string[] = [];
  try {
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const modes = require('../../lib/engine/modes') as Modes;
      for (const stack of stacks) {
        Error.prepareStackTrace = () => stack;
        sites.push(modes.creationSite());
      }
    });
  } finally {
    Error.prepareStackTrace = saved;
  }
  return sites;
}

/** A stack as V8 prints it: the message line, then one indented `at` line per frame. */
function stack(...frames: string[]): string {
  return ['Error', ...frames.map((frame) => `    at ${frame}`)].join('\n');
}

describe('a freshly loaded modes module', () => {
  test('records graphs and detects no anomalies until told otherwise', () => {
    let modes: [boolean, boolean] = [false, true];
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const fresh = require('../../lib/engine/modes') as Modes;
      modes = [fresh.isGradEnabled(), fresh.isDetectingAnomalies()];
    });
    expect(modes).toEqual([true, false]);
  });
});

describe('creationSite: the first frame outside stopgrad', () => {
  test("stopgrad's own folders are recognised by the full path this module was loaded from", () => {
    // The caller's own code sits in folders named lib/ops and lib/engine: only stopgrad's are skipped.
    const [site] = sitesFor(
      stack(
        'creationSite (/srv/app/node_modules/stopgrad/lib/engine/modes.js:150:17)',
        'makeNode (/srv/app/node_modules/stopgrad/lib/engine/record.js:120:5)',
        'Value.mul (/srv/app/node_modules/stopgrad/lib/ops/arithmetic.js:40:10)',
        'step (/srv/app/lib/ops/train.js:5:3)',
        'main (/srv/app/lib/engine/main.js:9:1)',
      ),
    );
    expect(site).toBe('at step (/srv/app/lib/ops/train.js:5:3)');
  });

  test('the same for an ES module build (modes.mjs) and for the TypeScript sources (modes.ts)', () => {
    const sites = ['mjs', 'cts', 'ts'].map(
      (ext) =>
        sitesFor(
          stack(
            `creationSite (file:///srv/app/node_modules/stopgrad/dist/esm/engine/modes.${ext}:150:17)`,
            `Value.mul (file:///srv/app/node_modules/stopgrad/dist/esm/ops/arithmetic.${ext}:40:10)`,
            `step (file:///srv/app/dist/ops/train.${ext}:5:3)`,
            `main (file:///srv/app/index.${ext}:1:1)`,
          ),
        )[0],
    );
    expect(sites).toEqual([
      'at step (file:///srv/app/dist/ops/train.mjs:5:3)',
      'at step (file:///srv/app/dist/ops/train.cts:5:3)',
      'at step (file:///srv/app/dist/ops/train.ts:5:3)',
    ]);
  });

  test('frames of stopgrad outside the engine, ops, autograd, tensor and backends folders are named (nn, optim)', () => {
    const [site] = sitesFor(
      stack(
        'creationSite (/srv/app/node_modules/stopgrad/lib/engine/modes.js:150:17)',
        'Value.mul (/srv/app/node_modules/stopgrad/lib/ops/arithmetic.js:40:10)',
        'Neuron.call (/srv/app/node_modules/stopgrad/lib/nn/layers.js:30:5)',
        'step (/srv/app/train.js:5:3)',
      ),
    );
    expect(site).toBe('at Neuron.call (/srv/app/node_modules/stopgrad/lib/nn/layers.js:30:5)');
  });

  test("without a frame of modes itself (a bundler renamed it), any lib, dist, cjs or esm folder's engine/ops/... frames are stopgrad's", () => {
    const [site] = sitesFor(
      stack(
        'creationSite (/srv/app/node_modules/stopgrad/dist/cjs/engine/modes-3f2a.js:150:17)',
        'Value.mul (/srv/app/node_modules/stopgrad/dist/cjs/ops/arithmetic.js:40:10)',
        'Tensor.sum (/srv/app/node_modules/stopgrad/lib/tensor/reduce.js:12:3)',
        'step (/srv/app/src/ops/train.js:5:3)',
        'main (/srv/app/index.js:1:1)',
      ),
    );
    // src/ops is not one of those folders, so the caller's own ops folder is named.
    expect(site).toBe('at step (/srv/app/src/ops/train.js:5:3)');
  });

  test('loaded from /engine/modes.js, with nothing before its folder, it names its own frame rather than guess', () => {
    // Taking every engine/ops/... folder for stopgrad's would hide the caller's own ops folder.
    const [site] = sitesFor(
      stack(
        'creationSite (/engine/modes.js:150:17)',
        'Value.mul (/ops/arithmetic.js:40:10)',
        'step (/srv/app/ops/train.js:5:3)',
        'main (/srv/app/index.js:1:1)',
      ),
    );
    expect(site).toBe('at creationSite (/engine/modes.js:150:17)');
  });

  test('skips node:internal frames; with only own frames, the last frame; with none, "(unknown place)"', () => {
    const own = '/srv/app/node_modules/stopgrad/lib';
    const sites = sitesFor(
      stack(
        `creationSite (${own}/engine/modes.js:150:17)`,
        'Module._compile (node:internal/modules/cjs/loader:1105:14)',
        'user (/srv/app/train.js:5:3)',
      ),
      stack(`creationSite (${own}/engine/modes.js:150:17)`, `Value.mul (${own}/ops/arithmetic.js:40:10)`),
      'Error',
      undefined,
    );
    expect(sites).toEqual([
      'at user (/srv/app/train.js:5:3)',
      `at Value.mul (${own}/ops/arithmetic.js:40:10)`,
      '(unknown place)',
      '(unknown place)',
    ]);
  });
});

describe('anomaly messages', () => {
  test("a node's recorded place is quoted as it is, with no second 'at'", () => {
    const parent = new Value(1, { label: 'p' });
    const node = { ...new Value(6), _rule: { name: 'mul' }, _extras: { createdAt: 'at step (/srv/app/train.js:5:3)' } };
    expect(anomalyError(node as unknown as GraphNode, parent, NaN).message).toBe(
      'detectAnomaly: the backward rule of \'mul\' produced NaN for one of its inputs (labelled "p") from a finite gradient. ' +
        "The 'mul' node (data=6) was created at step (/srv/app/train.js:5:3). " +
        'Look for a division by zero, log or sqrt of 0 or of a negative number, or an overflow there.',
    );
  });

  test("a tensor hook's anomaly names no numbers (its gradients are tensors)", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const h = x.mul(3);
    h.registerHook((g) => g.mul(Infinity));
    expect(() => detectAnomaly(() => h.sum().backward())).toThrow(
      new Error(
        "detectAnomaly: a gradient hook on a 'mul' node returned a non-finite gradient for a finite one. " +
          'The node was created at (created outside detectAnomaly, so its place is unknown). Check what that hook computes.',
      ),
    );
    expect(x.grad).toBeNull();
  });
});

describe('scopes', () => {
  test('the generator refusal, word for word', () => {
    const gen = function* () {
      yield 1;
    };
    expect(() => noGrad(gen as never)).toThrow(
      new TypeError(
        'noGrad(fn): fn is a generator function. Its body runs later, each time the generator is resumed, after noGrad ' +
          'has restored the mode, so it would silently record the wrong graph. Pass a plain function, or call noGrad ' +
          'inside the generator around each computation.',
      ),
    );
  });

  test('a function without a constructor property (null prototype) is an ordinary callback', () => {
    const x = new Value(2);
    const fn = () => x.mul(3);
    Object.setPrototypeOf(fn, null);
    const y = noGrad(fn);
    const z = enableGrad(fn);
    expect([y.data, y.requiresGrad, z.data, z.requiresGrad]).toEqual([6, false, 6, true]);
  });
});
