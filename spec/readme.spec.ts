/**
 * Every ```ts block of README.md runs, and each line of the form `expression; // literal`
 * (a number, boolean, string or array of them) is checked: the README's numbers are real.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import * as stopgrad from '../lib';
import * as stopgradNode from '../lib/node';

const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]);
const LITERAL = /^(-?\d+(\.\d+)?(e-?\d+)?|true|false|null|'[^']*'|\[(\s*(-?\d+(\.\d+)?|true|false)\s*,?)*\])$/;

/** Turns `expr; // 9` into an assertion, and imports from 'stopgrad' ('stopgrad/node') into the library object. */
function instrument(code: string): { js: string; checks: number } {
  let checks = 0;
  const lines = code.split('\n').map((line) => {
    const imported = line.match(/^import \{ (.*) \} from 'stopgrad(\/node)?';$/);
    if (imported) return `const { ${imported[1]} } = ${imported[2] ? '__node' : '__lib'};`;
    const claim = line.match(/^(\s*)(.+?);\s*\/\/\s*(.+?)\s*$/);
    if (claim && LITERAL.test(claim[3]) && !/^(const|let|var)\s/.test(claim[2])) {
      checks++;
      return `${claim[1]}__check(${JSON.stringify(claim[2])}, (${claim[2]}), ${claim[3]});`;
    }
    return line;
  });
  const js = ts.transpileModule(lines.join('\n'), { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS } }).outputText;
  return { js, checks };
}

test('README has runnable examples', () => {
  expect(blocks.length).toBeGreaterThan(8);
});

test.each(blocks.map((code, i) => [i + 1, code]))('README example %d runs and its stated results hold', (_, code) => {
  const { js } = instrument(code as string);
  const check = (expression: string, actual: unknown, expected: unknown) => {
    if (typeof expected === 'number' && typeof actual === 'number' && !Number.isInteger(expected)) {
      expect([expression, actual]).toEqual([expression, expect.closeTo(expected, 12)]);
    } else {
      expect([expression, actual]).toEqual([expression, expected]);
    }
  };
  new Function('__lib', '__node', '__check', 'exports', 'require', js)(stopgrad, stopgradNode, check, {}, require);
});

test('the README states checked results (not only code that runs)', () => {
  const total = blocks.reduce((sum, code) => sum + instrument(code).checks, 0);
  expect(total).toBeGreaterThanOrEqual(20);
});
