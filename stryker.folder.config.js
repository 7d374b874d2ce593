/**
 * StrykerJS over one folder at a time: `FOLDER=ops npx stryker run stryker.folder.config.js`
 * (FOLDER is engine, ops or autograd). Each folder has its own incremental file, so a rerun
 * tests only the mutants whose code or covering specs changed.
 */
const base = require('./stryker.config.json');

const folder = process.env.FOLDER;
if (!['engine', 'ops', 'autograd'].includes(folder)) {
  throw new Error(`FOLDER must be engine, ops or autograd, got ${JSON.stringify(folder)}`);
}

module.exports = {
  ...base,
  $schema: undefined,
  jest: { ...base.jest, configFile: 'jest.stryker.core.config.js' },
  mutate: [`lib/${folder}/**/*.ts`],
  incrementalFile: `reports/inc-${folder}.json`,
  jsonReporter: { fileName: `reports/mutation/${folder}.json` },
  reporters: ['clear-text', 'json', 'progress-append-only'],
  // The AssemblyScript sources under lib/backends cannot be parsed as TypeScript; they are not mutated.
  warnings: { preprocessorErrors: false },
};
