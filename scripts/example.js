#!/usr/bin/env node
/**
 * `npm run example -- NAME [args]`: runs examples/NAME.ts with ts-node (transpile-only; the
 * type check is CI's job) and exits with its status, so an example whose claim fails makes the
 * command fail. Without a name, lists the examples.
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const dir = path.join(__dirname, '..', 'examples');
const names = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'repl.ts')
  .map((f) => f.slice(0, -3))
  .sort();
const [name, ...args] = process.argv.slice(2);
if (name === undefined || !names.includes(name)) {
  console.error(
    `${name === undefined ? 'Name an example' : `No example '${name}'`}: npm run example -- NAME, with NAME one of ${names.join(', ')}.`,
  );
  process.exit(name === undefined ? 0 : 1);
}
const result = spawnSync(
  process.execPath,
  ['-r', 'ts-node/register/transpile-only', path.join(dir, `${name}.ts`), ...args],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
