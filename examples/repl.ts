/**
 * `npm run repl`: a TypeScript REPL (ts-node) with the whole stopgrad API in scope, so you can
 * type `new Value(3).mul(2)` straight away; Tab completes the names. Values print short
 * (`Value(data=6, grad=0)`), modules as a tree with parameter counts, optimisers as their
 * hyperparameters.
 *
 * It starts in about a second: ts-node only transpiles what you type (no type check), and the
 * library is the built CommonJS in dist/cjs, rebuilt first (a few seconds) when a file in lib/
 * is newer than the build.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { create, createRepl } from 'ts-node';

const root = path.resolve(__dirname, '..');
const entry = path.join(root, 'dist', 'cjs', 'index.js');

/** The newest modification time of any file under `dir`. */
function newest(dir: string): number {
  return fs
    .readdirSync(dir, { recursive: true })
    .reduce<number>((latest, file) => Math.max(latest, fs.statSync(path.join(dir, String(file))).mtimeMs), 0);
}

if (!fs.existsSync(entry) || newest(path.join(root, 'lib')) > fs.statSync(entry).mtimeMs) {
  console.log('lib/ changed since the last build: rebuilding dist/ ...');
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build.js')], { cwd: root, stdio: 'inherit' });
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const stopgrad = require(entry) as typeof import('../lib');
const names = Object.keys(stopgrad).filter((name) => name !== 'default');

const repl = createRepl();
repl.setService(
  create({
    ...repl.evalAwarePartialHost,
    transpileOnly: true,
    skipProject: true,
    compilerOptions: { target: 'es2022', module: 'commonjs', moduleResolution: 'bundler', esModuleInterop: true },
  }),
);
console.log(`stopgrad REPL. In scope (Tab completes): ${names.join(', ')}.`);
console.log('Try: const x = new Value(3); const y = x.mul(x); y.backward(); x.grad      or: new MLP(2, [16, 16, 1])');
// ts-node's REPL evaluates in the global scope: names put there are in scope and Tab-complete.
Object.assign(globalThis, stopgrad);
repl.start();
