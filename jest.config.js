/**
 * Jest runs the TypeScript specs in spec/ through ts-jest (type errors are caught by `npm run typecheck`).
 * ts-jest compiles to plain CommonJS: jest's module system has no `import()` without
 * --experimental-vm-modules, so the library's real dynamic `import('@viz-js/viz')` (kept by
 * `module: nodenext` in tsconfig.json and in the build) becomes a `require` under test only.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/spec'],
  testMatch: ['**/*.spec.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false, tsconfig: { module: 'commonjs', moduleResolution: 'bundler' } }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  setupFiles: ['<rootDir>/spec/setup-env.ts'],
};
