/**
 * package.json `sideEffects` must list exactly the lib/ files that run code when loaded (the ops
 * that install methods on Value.prototype, the index that imports them): a file missing from it
 * would be dropped by bundlers and its methods would vanish; an extra one only costs bytes.
 * After changing which files install methods, run `node scripts/side-effects.js --write`.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { effectOf, filesWithEffects, sideEffectsList } = require('../../scripts/side-effects.js') as {
  effectOf: (statement: ts.Statement, sourceFile: ts.SourceFile) => string;
  filesWithEffects: () => { file: string; why: string }[];
  sideEffectsList: () => string[];
};

const root = path.resolve(__dirname, '..', '..');

function effects(source: string): string[] {
  const sourceFile = ts.createSourceFile('x.ts', source, ts.ScriptTarget.Latest, true);
  return sourceFile.statements.map((s) => effectOf(s, sourceFile)).filter((why) => why !== '');
}

test('package.json sideEffects lists exactly the files with top-level effects, in both builds', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  expect(pkg.sideEffects).toEqual(sideEffectsList());
  // Today's files: the index (imports the scalar ops for their effects), backward and the four
  // scalar op files (methods on Value.prototype and Value). Tensor methods live on the class, so
  // no tensor module runs code when loaded and a scalar-only app bundles no tensor code.
  expect(filesWithEffects().map((f) => f.file)).toEqual([
    'autograd/backward',
    'index',
    'ops/arithmetic',
    'ops/piecewise',
    'ops/reductions',
    'ops/smooth',
  ]);
});

test('the classifier: prototype patches, bare imports and impure initialisers count; declarations do not', () => {
  expect(
    effects("import './ops';\nValue.prototype.relu = relu;\nconst table = build();\nObject.assign(Value, { sum });"),
  ).toHaveLength(4);
  expect(
    effects(
      [
        "import { Value } from './value';",
        "import type { Rule } from './rule';",
        "export { add } from './arithmetic';",
        'export function f() { Value.prototype.x = 1; }',
        'export class A { static readonly zero = 0; method() {} }',
        "const INSPECT = Symbol.for('nodejs.util.inspect.custom');",
        'const SPECIAL: Record<string, number> = { "-0": -0, NaN: NaN };',
        "const MAX = extremumRule('max', 1);",
        'const cache = new Map<string, number>();',
        'const made = /* @__PURE__ */ make();',
        'export type T = number; interface I { a: number }',
      ].join('\n'),
    ),
  ).toEqual([]);
  expect(effects('export class B { static { register(B); } }')).toHaveLength(1);
  expect(effects('export class C { static table = build(); }')).toHaveLength(1);
});
