/**
 * `npm run build`: the dual package in dist/, from an empty dist/ every time.
 *   dist/cjs  CommonJS + .d.ts (tsc, module nodenext: `import()` stays a real dynamic import)
 *   dist/esm  ES modules + .d.ts (tsc, module es2022), then every relative specifier (imports,
 *             exports, `import()`, `declare module` augmentations) gets the explicit `.js` (or
 *             `/index.js`) that Node's ESM loader and nodenext types need.
 * Each folder gets a package.json naming its module type, so `.js` and `.d.ts` are read right,
 * and listing the files with side effects (scripts/side-effects.js), so bundlers drop the rest.
 */
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { filesWithEffects } = require('./side-effects.js');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');
const tsc = require.resolve('typescript/bin/tsc');

/** Every file under `dir` whose name ends in one of `suffixes`. */
function filesUnder(dir, suffixes) {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && suffixes.some((s) => entry.name.endsWith(s)))
    .map((entry) => path.join(entry.parentPath ?? entry.path, entry.name));
}

/** `./x` becomes `./x.js` or `./x/index.js`, whichever exists beside `file`. */
function withExtension(file, specifier) {
  if (/\.(js|json)$/.test(specifier)) return specifier;
  const target = path.resolve(path.dirname(file), specifier);
  if (fs.existsSync(`${target}.js`)) return `${specifier}.js`;
  if (fs.existsSync(path.join(target, 'index.js'))) return `${specifier}/index.js`;
  throw new Error(
    `build: ${path.relative(root, file)} imports '${specifier}', which is neither a .js file nor a folder with index.js.`,
  );
}

function addExtensions(dir) {
  // import/export ... from, bare imports, import() in code and types, and module augmentations.
  const pattern = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\bdeclare\s+module\s+)(['"])(\.\.?\/[^'"]*)\2/g;
  for (const file of filesUnder(dir, ['.js', '.d.ts'])) {
    const text = fs.readFileSync(file, 'utf8');
    const fixed = text.replace(
      pattern,
      (_, lead, quote, specifier) => `${lead}${quote}${withExtension(file, specifier)}${quote}`,
    );
    if (fixed !== text) fs.writeFileSync(file, fixed);
  }
}

fs.rmSync(dist, { recursive: true, force: true });
// Bundlers read `sideEffects` from the package.json nearest to a file, which for dist/esm/x.js
// is dist/esm/package.json: the list goes there, read off the sources at every build.
const sideEffects = filesWithEffects().map(({ file }) => `./${file}.js`);
for (const [config, type] of [
  ['tsconfig.cjs.json', 'commonjs'],
  ['tsconfig.esm.json', 'module'],
]) {
  execFileSync(process.execPath, [tsc, '-p', path.join(root, config)], { cwd: root, stdio: 'inherit' });
  const out = path.join(dist, type === 'module' ? 'esm' : 'cjs');
  fs.writeFileSync(path.join(out, 'package.json'), `${JSON.stringify({ type, sideEffects }, null, 2)}\n`);
  if (type === 'module') addExtensions(out);
}
console.log(`build: ${filesUnder(dist, ['.js']).length} .js files in dist/cjs and dist/esm`);
