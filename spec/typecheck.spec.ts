/**
 * `npm test` includes a full type check of lib/, spec/, examples/ and benchmarks/ (strict mode),
 * and of the browser example against the DOM types.
 */
import { execFileSync } from 'child_process';
import * as path from 'path';

test.each(['tsconfig.json', 'examples/browser/tsconfig.json'])(
  '%s type-checks under strict mode',
  (config) => {
    const root = path.resolve(__dirname, '..');
    const tsc = require.resolve('typescript/bin/tsc');
    let output = '';
    try {
      execFileSync(process.execPath, [tsc, '-p', path.join(root, config), '--noEmit'], { cwd: root, encoding: 'utf8' });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    expect(output).toBe('');
  },
  120_000,
);
