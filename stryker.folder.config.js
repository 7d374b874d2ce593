/**
 * StrykerJS over one folder at a time: `FOLDER=ops npx stryker run stryker.folder.config.js`
 * (FOLDER is engine, ops or autograd, or threads: the wasm backend's threads, parallel.ts and
 * lib/node's pool). Each has its own incremental file, so a rerun tests only the mutants whose
 * code or covering specs changed.
 */
const base = require('./stryker.config.json');

const folder = process.env.FOLDER;
const mutateOf = {
  engine: ['lib/engine/**/*.ts'],
  ops: ['lib/ops/**/*.ts'],
  autograd: ['lib/autograd/**/*.ts'],
  threads: ['lib/backends/wasm/parallel.ts', 'lib/node/worker-pool.ts', 'lib/node/wasm-threads.ts'],
};
if (!(folder in mutateOf)) {
  throw new Error(`FOLDER must be one of ${Object.keys(mutateOf).join(', ')}, got ${JSON.stringify(folder)}`);
}

module.exports = {
  ...base,
  $schema: undefined,
  jest: { ...base.jest, configFile: 'jest.stryker.core.config.js' },
  mutate: mutateOf[folder],
  incrementalFile: `reports/inc-${folder}.json`,
  jsonReporter: { fileName: `reports/mutation/${folder}.json` },
  reporters: ['clear-text', 'json', 'progress-append-only'],
  // The AssemblyScript sources under lib/backends cannot be parsed as TypeScript; they are not mutated.
  warnings: { preprocessorErrors: false },
};
