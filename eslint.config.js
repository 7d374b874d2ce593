/**
 * ESLint with typescript-eslint's type-aware rules (`npm run lint`, run by .ci/run). Types come
 * from tsconfig.json, which covers lib/, spec/, examples/ and benchmarks/. Formatting is
 * Prettier's job (`npm run format`), so no stylistic rules here.
 */
const { defineConfig, globalIgnores } = require('eslint/config');
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

/** The CommonJS globals of a Node config file (avoids a dependency on the `globals` package). */
const nodeCommonJsGlobals = {
  require: 'readonly',
  module: 'writable',
  exports: 'writable',
  __dirname: 'readonly',
  __filename: 'readonly',
  process: 'readonly',
  console: 'readonly',
};

module.exports = defineConfig([
  globalIgnores(['dist/', 'coverage/', 'node_modules/', 'spec/package/consumer/', 'lib/backends/wasm/assembly/']),
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: __dirname },
    },
    rules: {
      // The no-unsafe family mostly fires where Array.isArray narrows a readonly array or an
      // unknown to any[] (a TypeScript limitation) and in specs reading JSON: warnings to
      // work down, not CI failures.
      '@typescript-eslint/no-unsafe-argument': 'warn',
      '@typescript-eslint/no-unsafe-assignment': 'warn',
      '@typescript-eslint/no-unsafe-member-access': 'warn',
      '@typescript-eslint/no-unsafe-return': 'warn',
      '@typescript-eslint/no-unsafe-call': 'warn',
      // `_name` marks a value kept on purpose (a benchmark sink, an ignored callback argument).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Tool configs and scripts are plain CommonJS outside tsconfig.json: no type information.
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { ...nodeCommonJsGlobals, URL: 'readonly', Buffer: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // TEMPORARY (issue 9): findings in lib/engine and lib/ops, which are being restructured
    // in a parallel branch. Each entry names the finding; delete this block once they are fixed.
    //   errors.ts: an unnecessary `as object`; String(x) in the default branch of describe
    //   sync-scope.ts: a parameter typed `Function`
    //   reductions.ts: `String(values)` prints "[object Object]" (use describeForError);
    //                  `new Array(n)` is any[] (write `new Array<Value | number>(n)`), and
    //                  `Array.isArray(a)` on a readonly array narrows it to any[] (test
    //                  `a as unknown`, as lib/data/batches.ts does)
    files: ['lib/engine/errors.ts', 'lib/engine/modes.ts', 'lib/ops/reductions.ts'],
    rules: {
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
      '@typescript-eslint/no-unsafe-function-type': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
]);
