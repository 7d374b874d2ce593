/** Engine semantics the adversarial review found loose: anomaly detection, generator callbacks, messages. */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Value, detectAnomaly, enableGrad, explainGrad, noGrad } from '../../lib';

describe('detectAnomaly', () => {
  test('catches finite gradients whose sum overflows (1e308 + 1e308)', () => {
    const x = new Value(1, { label: 'x' });
    const y = detectAnomaly(() => x.mul(1e308).add(x.mul(1e308)));
    expect(() => detectAnomaly(() => y.backward())).toThrow(
      /^detectAnomaly: the backward rule of 'mul' produced a finite gradient for one of its inputs \(labelled "x"\), but adding it to the gradient already there overflowed to Infinity\. The 'mul' node \(data=1e\+308\) was created at .*hardening\.spec\.ts/,
    );
    expect(x.grad).toBe(0);
    // Outside detectAnomaly the same pass runs and gives the IEEE result.
    y.backward();
    expect(x.grad).toBe(Infinity);
  });

  test('catches a hook that turns a finite gradient into NaN, naming the node', () => {
    const x = new Value(2, { label: 'x' });
    const h = detectAnomaly(() => x.mul(3));
    h.label = 'h';
    h.registerHook(() => NaN);
    const y = h.mul(2);
    expect(() => detectAnomaly(() => y.backward())).toThrow(
      /^detectAnomaly: a gradient hook on the node labelled "h" \(data=6\) returned NaN for the finite gradient 2\. The node was created at .*hardening\.spec\.ts/,
    );
    expect([x.grad, h.grad]).toEqual([0, 0]);
    y.backward();
    expect(Number.isNaN(x.grad)).toBe(true);
  });

  test('a hook returning a finite number, or a non-finite one from a non-finite gradient, is fine', () => {
    const x = new Value(2);
    x.registerHook((g) => g * 10);
    detectAnomaly(() => x.mul(3).backward());
    expect(x.grad).toBe(30);
    const z = new Value(0);
    z.registerHook((g) => g);
    const w = z.log().neg();
    expect(() => detectAnomaly(() => w.backward())).toThrow(/'log' produced -Infinity/);
  });
});

describe('noGrad, enableGrad and detectAnomaly refuse generator functions', () => {
  test.each([
    ['noGrad', noGrad],
    ['enableGrad', enableGrad],
    ['detectAnomaly', detectAnomaly],
  ] as [string, (fn: () => unknown) => unknown][])('%s(function* () {...})', (name, scope) => {
    const x = new Value(2);
    let ran = false;
    const gen = function* () {
      ran = true;
      yield x.mul(3);
    };
    expect(() => scope(gen)).toThrow(TypeError);
    expect(() => scope(gen)).toThrow(new RegExp(`^${name}\\(fn\\): fn is a generator function\\. Its body runs later`));
    expect(ran).toBe(false);
  });
});

describe('explainGrad changes nothing and runs no hooks', () => {
  test('a throwing hook does not make it throw, and no hook is called', () => {
    const x = new Value(3, { label: 'x' });
    const h = x.mul(2);
    let calls = 0;
    h.registerHook(() => {
      calls++;
      throw new Error('boom');
    });
    const y = h.mul(h);
    const explanation = explainGrad(y, x);
    expect(explanation.verdict).toBe('flows');
    expect(explanation.gradient).toBe(24); // y = (2x)^2: 8x
    expect(calls).toBe(0);
    expect(() => y.backward()).toThrow('boom');
    expect(calls).toBe(1);
  });

  test('a hook that would replace the gradient does not change what it reports', () => {
    const x = new Value(3, { label: 'x' });
    x.registerHook(() => 100);
    expect(explainGrad(x.mul(5), x).gradient).toBe(5);
  });

  test('a leaf created with requiresGrad: false says how to let gradient in', () => {
    const c = new Value(2, { label: 'c', requiresGrad: false });
    const x = new Value(3);
    const { verdict, message } = explainGrad(x.mul(c), c);
    expect(verdict).toBe('cut');
    expect(message).toBe(
      "No gradient reaches 'c': it is used by the output, but it is a constant. It was created with requiresGrad: false; let gradient in with requiresGrad_() (or create it without that option).",
    );
    c.requiresGrad_(true);
    expect(explainGrad(x.mul(c), c).gradient).toBe(3);
  });
});

// The 2^25-node RangeError's message and count: spec/engine/order.spec.ts (against a list that claims to be full).

describe('built package (dist)', () => {
  test('detectAnomaly names the caller, not its own frame, when run from the compiled files', () => {
    const root = path.resolve(__dirname, '../..');
    // Inside the project, so that the build finds its dependencies (lodash, @viz-js/viz) as an install would.
    const cache = path.join(root, 'node_modules', '.cache');
    fs.mkdirSync(cache, { recursive: true });
    const out = fs.mkdtempSync(path.join(cache, 'stopgrad-dist-'));
    try {
      execFileSync(
        process.execPath,
        [
          require.resolve('typescript/bin/tsc'),
          '-p',
          path.join(root, 'tsconfig.build.json'),
          '--outDir',
          path.join(out, 'dist'),
          '--sourceMap',
          'false',
          '--declaration',
          'false',
        ],
        { cwd: root },
      );
      const caller = path.join(out, 'caller.js');
      fs.writeFileSync(
        caller,
        [
          "const { Value, detectAnomaly } = require('./dist/index.js');",
          'try {',
          '  detectAnomaly(() => {',
          '    const x = new Value(0);',
          '    const y = x.sqrt();',
          '    y.backward();',
          '  });',
          '} catch (error) {',
          '  process.stdout.write(error.message);',
          '}',
        ].join('\n'),
      );
      const message = execFileSync(process.execPath, [caller], { encoding: 'utf8' });
      expect(message).toMatch(/^detectAnomaly: the backward rule of 'sqrt' produced Infinity/);
      expect(message).toMatch(/was created at .*caller\.js:5:/);
      expect(message).not.toMatch(/dist[\\/]engine/);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);
});
