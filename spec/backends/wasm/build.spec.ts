/**
 * The committed kernels (lib/backends/wasm/*.wasm and kernels*-base64.ts) are what
 * `npm run build:wasm` makes from lib/backends/wasm/assembly: rebuild into a temporary
 * directory and compare bytes. Fails when a kernel source changed without a rebuild.
 */
import { execFile } from 'child_process';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '../../..');
const wasmDir = path.join(root, 'lib/backends/wasm');
let hasCompiler = true;
try {
  require.resolve('assemblyscript/package.json');
} catch {
  hasCompiler = false;
}

(hasCompiler ? test : test.skip)(
  'npm run build:wasm reproduces the committed .wasm and base64 module byte for byte',
  async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'stopgrad-wasm-'));
    try {
      await new Promise<void>((resolve, reject) => {
        execFile(
          process.execPath,
          [path.join(root, 'scripts/build-wasm.mjs'), out],
          { cwd: root },
          (error, _stdout, stderr) => (error ? reject(new Error(stderr || error.message)) : resolve()),
        );
      });
      for (const file of [
        'kernels.wasm',
        'kernels-fma.wasm',
        'kernels-shared.wasm',
        'matmul-shared.wasm',
        'matmul-fma-shared.wasm',
        'kernels-base64.ts',
        'kernels-fma-base64.ts',
        'kernels-shared-base64.ts',
      ]) {
        const rebuilt = readFileSync(path.join(out, file));
        expect({ file, same: rebuilt.equals(readFileSync(path.join(wasmDir, file))) }).toEqual({ file, same: true });
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  },
  120_000,
);
