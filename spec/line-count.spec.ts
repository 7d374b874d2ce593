/**
 * The line-count gate: a source file in lib/ that grows past 300 lines is doing two jobs and
 * should be split. `npm test` (and so CI) fails on it, naming every file over the limit.
 */
import * as fs from 'fs';
import * as path from 'path';

const MAX_LINES = 300;
const lib = path.join(__dirname, '..', 'lib');

/** Every file under `dir`, as paths relative to the repository root, in a stable order. */
function filesUnder(dir: string): string[] {
  const found: string[] = [];
  const pending = [dir];
  while (pending.length > 0) {
    const current = pending.pop()!;
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) pending.push(full);
      else found.push(path.relative(path.join(__dirname, '..'), full).split(path.sep).join('/'));
    }
  }
  return found.sort();
}

/** Lines as an editor numbers them: a final newline does not start another line. */
function countLines(text: string): number {
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

test('counts lines as an editor does', () => {
  expect([countLines(''), countLines('a'), countLines('a\n'), countLines('a\nb'), countLines('a\n\nb\n')]).toEqual([
    0, 1, 1, 2, 3,
  ]);
});

test(`no file in lib/ is longer than ${MAX_LINES} lines`, () => {
  const files = filesUnder(lib);
  expect(files).toContain('lib/index.ts');
  const tooLong = files
    .map((file) => ({ file, lines: countLines(fs.readFileSync(path.join(lib, '..', file), 'utf8')) }))
    .filter(({ lines }) => lines > MAX_LINES)
    .map(({ file, lines }) => `${file}: ${lines} lines (split it: one job per file)`);
  expect(tooLong).toEqual([]);
});
