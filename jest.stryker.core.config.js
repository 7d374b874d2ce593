/**
 * Jest for the per-folder mutation runs (`stryker.folder.config.js`): the specs of that folder
 * and the few others that drive it, so that each static mutant (module-level code, which
 * Stryker tests with every spec) costs seconds, not the whole suite. A mutant this set misses
 * may still be killed by another spec, so a score measured with it is a floor.
 */
const base = require('./jest.config');

const specsOf = {
  ops: ['ops', 'functions.spec.ts', 'viz/explain.spec.ts'],
  // Only the engine's own specs, without the seconds-long scale specs: every spec touches the
  // pass, so every spec in this list runs for each of its mutants.
  engine: [
    'engine',
    'tensor/backward.spec.ts',
    'tensor/tensor.spec.ts',
    'tensor/data-view.spec.ts',
    'viz/explain.spec.ts',
  ],
  // grad-slot: which passes leave a private .grad (backward.ts decides whether user code ran).
  autograd: ['autograd', 'properties', 'tensor/grad-slot.spec.ts'],
  threads: ['backends/wasm/parallel.spec.ts', 'node/wasm-threads.spec.ts', 'node/browser.spec.ts'],
};

const folder = process.env.FOLDER;
if (!(folder in specsOf))
  throw new Error(`FOLDER must be one of ${Object.keys(specsOf).join(', ')}, got ${JSON.stringify(folder)}`);

module.exports = {
  ...base,
  testPathIgnorePatterns: ['/node_modules/', '/spec/engine/scale\\.spec\\.ts$'],
  testMatch: specsOf[folder].map((p) =>
    p.endsWith('.ts') ? `<rootDir>/spec/${p}` : `<rootDir>/spec/${p}/**/*.spec.ts`,
  ),
};
