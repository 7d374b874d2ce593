/**
 * The repository is self-contained: no project file points at material outside it. A test that
 * relies on a fact states the fact itself rather than citing a document a reader cannot open.
 * Checked: relative paths that climb out of the repository, absolute paths into a machine's
 * home or work directories, Markdown files mentioned but not in the repository, and Markdown
 * links to files that do not exist.
 */
import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '..');
const SKIP = new Set(['node_modules', '.git', 'dist', 'coverage', 'package-lock.json']);
const SCANNED = new Set(['.ts', '.js', '.md', '.json', '.sh', '.yml', '.yaml', '']);

/** The project's text files (tools' output and dependencies aside), relative to the root. */
function projectFiles(): string[] {
  const found: string[] = [];
  const pending = [root];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (SKIP.has(entry.name)) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) pending.push(full);
      else if (entry.isFile() && SCANNED.has(path.extname(entry.name))) found.push(path.relative(root, full));
    }
  }
  return found.sort();
}

const inside = (target: string): boolean => target === root || target.startsWith(root + path.sep);

/** Every reference in `text` (a file at `file`, relative to the root) that leaves the repository. */
export function outsideReferences(file: string, text: string): string[] {
  const dir = path.join(root, path.dirname(file));
  const found: string[] = [];
  // `../x` that climbs above the repository root from where the file sits.
  for (const match of text.matchAll(/(?<![\w.])((?:\.\.\/)+)([\w.@-]*)/g)) {
    if (!inside(path.resolve(dir, match[1]))) found.push(`climbs out of the repository: ${match[0]}`);
  }
  // Absolute paths into a machine's home or work directories.
  for (const match of text.matchAll(/(?<![\w.])\/(?:work|home|root|Users)\/[\w./-]*/g)) {
    found.push(`absolute path on some machine: ${match[0]}`);
  }
  // A Markdown file mentioned by path must be in the repository (next to the file or at the root).
  for (const match of text.matchAll(/(?<![\w/.-])((?:[\w.-]+\/)*[\w-]+\.md)\b/g)) {
    const name = match[1];
    if (!fs.existsSync(path.resolve(dir, name)) && !fs.existsSync(path.resolve(root, name))) {
      found.push(`mentions ${name}, which is not in the repository`);
    }
  }
  // Relative Markdown links must point at files that exist.
  if (file.endsWith('.md')) {
    for (const match of text.matchAll(/\]\(([^)\s#]+)(#[^)\s]*)?\)/g)) {
      const target = match[1];
      if (/^[a-z]+:/i.test(target)) continue;
      if (!fs.existsSync(path.resolve(dir, target))) found.push(`links to ${target}, which does not exist`);
    }
  }
  return found.map((problem) => `${file}: ${problem}`);
}

test('finds each kind of outside reference (and leaves references inside alone)', () => {
  const up = ['..', '..'].join('/');
  const text = [
    `see ${up}/shared/NOTES.md`,
    `import { Value } from '${up.slice(3)}/lib';`,
    `cat ${['', 'work', 'shared', 'x'].join('/')}`,
    'as shared/SEMANTICS.md says',
    'see benchmarks/README.md and [the docs](training.md) or [a page](nowhere.md)',
  ].join('\n');
  expect(outsideReferences('docs/page.md', text)).toEqual([
    `docs/page.md: climbs out of the repository: ${up}/shared`,
    'docs/page.md: absolute path on some machine: /work/shared/x',
    `docs/page.md: mentions ${up}/shared/NOTES.md, which is not in the repository`,
    'docs/page.md: mentions shared/SEMANTICS.md, which is not in the repository',
    'docs/page.md: mentions nowhere.md, which is not in the repository',
    'docs/page.md: links to nowhere.md, which does not exist',
  ]);
});

test('no project file refers to material outside the repository', () => {
  const files = projectFiles();
  expect(files).toEqual(expect.arrayContaining(['README.md', 'package.json', path.join('lib', 'index.ts')]));
  // This file is left out: its first test spells out the very references it looks for.
  const problems = files
    .filter((file) => file !== path.relative(root, __filename))
    .flatMap((file) => outsideReferences(file, fs.readFileSync(path.join(root, file), 'utf8')));
  expect(problems).toEqual([]);
});
