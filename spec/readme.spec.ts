/**
 * Every ```ts block of README.md runs, and each line of the form `expression; // literal`
 * (a number, boolean, null, string, or a possibly nested array of them) is checked: the
 * README's numbers are real. Every block states at least one checked result, and every check
 * a block states is actually reached when it runs.
 */
import { promises as fs, readFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import * as stopgrad from '../lib';

const readme = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]);
const fences = readme.split('\n').filter((line) => line.trim() === '```ts').length;

/** The value a README comment states, or undefined if the comment is prose. */
function parseClaim(text: string): { value: unknown } | undefined {
  if (!/^(-?\d|true$|false$|null$|'|\[)/.test(text)) return undefined;
  try {
    return { value: JSON.parse(text.replace(/'([^'\\]*)'/g, (_, s: string) => JSON.stringify(s))) };
  } catch {
    return undefined;
  }
}

/** Turns `expr; // 9` into an assertion and imports from 'stopgrad' into the library object. */
function instrument(code: string): { js: string; checks: number } {
  let checks = 0;
  const lines = code.split('\n').map((line) => {
    const imported = line.match(/^import \{ (.*) \} from 'stopgrad';$/);
    if (imported) return `const { ${imported[1]} } = __lib;`;
    const claim = line.match(/^(\s*)(.+?);\s*\/\/\s*(.+?)\s*$/);
    const parsed = claim ? parseClaim(claim[3]) : undefined;
    if (claim && parsed !== undefined && !/^(const|let|var)\s/.test(claim[2])) {
      checks++;
      return `${claim[1]}__check(${JSON.stringify(claim[2])}, (${claim[2]}), ${JSON.stringify(parsed.value)});`;
    }
    return line;
  });
  const js = ts.transpileModule(lines.join('\n'), { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS } }).outputText;
  return { js, checks };
}

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stopgrad-readme-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** The library as README blocks see it: files they save and load live in a temporary directory. */
function library(): typeof stopgrad {
  const inDir = (file: string) => path.join(dir, file);
  return {
    ...stopgrad,
    save: (module, file) => stopgrad.save(module, inDir(file)),
    load: (module, file) => stopgrad.load(module, inDir(file)),
    saveGraph: (root, file, options) => stopgrad.saveGraph(root, inDir(file), options),
  };
}

test('every ```ts fence of the README is found and run (22 blocks when this was written)', () => {
  expect(blocks.length).toBe(fences);
  expect(blocks.length).toBeGreaterThanOrEqual(22);
});

test('claims are parsed as the values they state, and prose is not', () => {
  expect(parseClaim('[[1, 2], [3, 4], [5]]')).toEqual({ value: [[1, 2], [3, 4], [5]] });
  expect(parseClaim("'tanh'")).toEqual({ value: 'tanh' });
  expect(parseClaim('-1.5e-7')).toEqual({ value: -1.5e-7 });
  expect(parseClaim('true')).toEqual({ value: true });
  expect(parseClaim('3 * (1 - tanh(-1.75)^2)')).toBeUndefined();
  expect(parseClaim('y becomes the constant 9')).toBeUndefined();
  expect(parseClaim('6x')).toBeUndefined();
});

test.each(blocks.map((code, i) => [i + 1, code]))('README example %d runs, states at least one result, and every stated result holds', async (_, code) => {
  const { js, checks } = instrument(code as string);
  expect(checks).toBeGreaterThan(0);
  let reached = 0;
  const check = (expression: string, actual: unknown, expected: unknown) => {
    reached++;
    if (typeof expected === 'number' && typeof actual === 'number' && !Number.isInteger(expected)) {
      expect({ expression, actual }).toEqual({ expression, actual: expect.closeTo(expected, 12) });
    } else {
      expect({ expression, actual }).toEqual({ expression, actual: expected });
    }
  };
  const run = new Function('__lib', '__check', 'exports', 'require', `return (async () => {\n${js}\n})();`);
  await run(library(), check, {}, require);
  expect(reached).toBe(checks);
});

test('the README states checked results (not only code that runs)', () => {
  const total = blocks.reduce((sum, code) => sum + instrument(code).checks, 0);
  expect(total).toBeGreaterThanOrEqual(40);
});
