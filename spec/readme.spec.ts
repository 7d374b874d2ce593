/**
 * Every ```ts block of README.md and of each docs/*.md page runs (with top-level await, in a
 * fresh temporary directory), and every line `expression; // value` is checked: the pages'
 * numbers are real. A bare expression whose comment is not a value fails, so a page cannot state
 * a result that nothing checks; every check must also actually run.
 */
import * as fs from 'fs';
import { createRequire } from 'module';
import * as os from 'os';
import * as path from 'path';
import * as stopgrad from '../lib';
import * as stopgradNode from '../lib/node';
import { type DocBlock, codeBlocks, instrument } from './helpers/doc-blocks';

const root = path.join(__dirname, '..');
const pages = [
  'README.md',
  ...fs
    .readdirSync(path.join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`),
];

type Check = (source: string, actual: unknown, expected: unknown) => void;
type BlockBody = (require: (id: string) => unknown, exports: object, check: Check) => Promise<void>;
const AsyncFunction = (Object.getPrototypeOf(async () => {}) as { constructor: new (...args: string[]) => BlockBody })
  .constructor;
/** What a block's imports other than 'stopgrad' resolve to (Node's own modules, say). */
const requireForBlocks = createRequire(__filename);

/** A stated decimal is compared to 12 digits; integers, strings and booleans exactly. */
function matcher(expected: unknown): unknown {
  if (typeof expected === 'number' && !Number.isInteger(expected) && Number.isFinite(expected)) {
    return expect.closeTo(expected, 12);
  }
  return Array.isArray(expected) ? expected.map(matcher) : expected;
}

/** Runs a block with 'stopgrad' resolved to lib/; returns how many checks ran. */
async function run(block: DocBlock): Promise<number> {
  const { js } = instrument(block);
  let ran = 0;
  const check: Check = (source, actual, expected) => {
    ran++;
    expect([source, actual]).toEqual([source, matcher(expected)]);
  };
  // './examples/...' is the repository's examples folder, as for a reader in the repository's root.
  const resolve = (id: string): unknown =>
    id === 'stopgrad'
      ? stopgrad
      : id === 'stopgrad/node'
        ? stopgradNode
        : requireForBlocks(id.startsWith('./examples/') ? path.join(root, id) : id);
  const cwd = process.cwd();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stopgrad-doc-'));
  process.chdir(dir);
  try {
    await new AsyncFunction('require', 'exports', '__check', js)(resolve, {}, check);
  } finally {
    process.chdir(cwd);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return ran;
}

test('the pages with runnable blocks are README.md and every docs/*.md', () => {
  expect(pages.length).toBeGreaterThan(1);
  expect(pages[0]).toBe('README.md');
});

describe.each(pages)('%s', (page) => {
  const { blocks, tsFences, unrunnable } = codeBlocks(page, fs.readFileSync(path.join(root, page), 'utf8'));

  test('every ```ts fence is parsed as a block, and no JavaScript block is left unrun', () => {
    expect(blocks.length).toBe(tsFences);
    expect(unrunnable).toEqual([]);
  });

  const cases = blocks.map((block) => [block.line, block] as const);
  if (cases.length === 0) return;
  test.each(cases)('the block at line %d runs and every result it states holds', async (_, block) => {
    const { checks, unchecked } = instrument(block);
    expect(unchecked).toEqual([]);
    expect(checks).toBeGreaterThan(0);
    expect(await run(block)).toBe(checks);
  });
});
