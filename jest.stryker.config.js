/**
 * Jest for `npm run mutate` (StrykerJS): the unit specs only. The examples, benchmarks and the
 * whole-project type check are slow and test nothing a unit spec should not catch first.
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  testPathIgnorePatterns: ['/node_modules/', '/spec/examples/', '/spec/benchmarks/', '/spec/typecheck\\.spec\\.ts$'],
};
