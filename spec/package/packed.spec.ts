/**
 * The package as users get it: `npm pack`, installed from the tarball into a fresh consumer
 * project in a temporary folder, then used by CommonJS, ES modules, strict TypeScript
 * (nodenext and bundler), an esbuild browser bundle, and the browser example in headless
 * Chromium; publint and arethetypeswrong check the tarball itself. Installs come from npm's
 * cache (--prefer-offline), so after `npm ci` this needs no network.
 *
 * Chromium (Debian's `chromium`) is optional locally: without it the page test is skipped,
 * unless STOPGRAD_REQUIRE_BROWSER=1 (set by .ci/run, which installs it), when it fails.
 */
import { type ChildProcess, execFile, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { gzipSync } from 'zlib';

const run = promisify(execFile);
const root = path.resolve(__dirname, '..', '..');
const fixtures = path.join(__dirname, 'consumer');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildExample, serve } = require('../../scripts/browser-example.js') as {
  buildExample: (o: { dir: string }) => Promise<{ sizes: Record<string, number> }>;
  serve: (dir: string) => Promise<import('http').Server>;
};

let work: string;
let tarball: string;
let consumer: string;
let packed: string[];

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'stopgrad-packed-'));
  // Build and pack a copy of the repository's package files, so the repository's own dist/ (used
  // by the REPL) is never emptied under another spec, and the build is shown to need nothing else.
  const stage = path.join(work, 'stopgrad');
  for (const entry of [
    'package.json',
    'README.md',
    'LICENSE',
    'CHANGELOG.md',
    'lib',
    'node',
    'scripts',
    'tsconfig.json',
    'tsconfig.build.json',
    'tsconfig.cjs.json',
    'tsconfig.esm.json',
  ]) {
    fs.cpSync(path.join(root, entry), path.join(stage, entry), { recursive: true });
  }
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(stage, 'node_modules'), 'dir');
  execFileSync(process.execPath, [path.join(stage, 'scripts', 'build.js')], { cwd: stage, stdio: 'pipe' });
  const [info] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], {
      cwd: stage,
      encoding: 'utf8',
    }),
  );
  tarball = path.join(work, info.filename);
  packed = info.files.map((f: { path: string }) => f.path);
  consumer = path.join(work, 'consumer');
  fs.cpSync(fixtures, consumer, { recursive: true });
  fs.writeFileSync(
    path.join(consumer, 'package.json'),
    JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }),
  );
  await run(
    'npm',
    ['install', tarball, '--no-audit', '--no-fund', '--prefer-offline', '--no-package-lock', '--loglevel=error'],
    { cwd: consumer },
  );
}, 180_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('the tarball holds both builds with types, the license, and no tests, sources maps or stale files', () => {
  for (const file of [
    'LICENSE',
    'README.md',
    'CHANGELOG.md',
    'package.json',
    'node/package.json',
    'dist/esm/index.js',
    'dist/esm/index.d.ts',
    'dist/cjs/index.js',
    'dist/cjs/index.d.ts',
    'dist/esm/node/index.js',
    'dist/cjs/node/index.d.ts',
  ]) {
    expect(packed).toContain(file);
  }
  expect(
    packed.filter(
      (f) =>
        !/^(dist\/(esm|cjs)\/.+\.(js|d\.ts)|dist\/(esm|cjs)\/package\.json|LICENSE|README\.md|CHANGELOG\.md|package\.json|node\/package\.json)$/.test(
          f,
        ),
    ),
  ).toEqual([]);
  // Every shipped file comes from a lib/ source that exists now (dist/ is emptied before each build).
  const sources = new Set(
    fs
      .readdirSync(path.join(root, 'lib'), { recursive: true })
      .map((f) => String(f).replace(/\\/g, '/').replace(/\.ts$/, '')),
  );
  const stale = packed
    .filter((f) => f.startsWith('dist/') && !f.endsWith('package.json'))
    .map((f) => f.replace(/^dist\/(esm|cjs)\//, '').replace(/\.(d\.ts|js)$/, ''))
    .filter((f) => !sources.has(f));
  expect(stale).toEqual([]);
  // Graphviz is loaded by a real import() in both builds, so bundlers and Node pick its ESM build.
  for (const build of ['esm', 'cjs']) {
    const render = fs.readFileSync(
      path.join(consumer, 'node_modules', 'stopgrad', 'dist', build, 'viz', 'render.js'),
      'utf8',
    );
    expect(render).toContain("import('@viz-js/viz')");
    expect(render).not.toMatch(/require\(['"]@viz-js/);
  }
  const valueTypes = fs.readFileSync(
    path.join(consumer, 'node_modules', 'stopgrad', 'dist', 'esm', 'engine', 'value.d.ts'),
    'utf8',
  );
  expect(valueTypes).toContain('grad: number;');
  expect(valueTypes).not.toMatch(/\b_(a|rest|rule|state|extras)\b/);
  // No `_`-prefixed member in any shipped declaration: internals stay out of autocomplete.
  const declarations = packed.filter((f) => f.endsWith('.d.ts'));
  const internal = declarations.flatMap((f) =>
    fs
      .readFileSync(path.join(consumer, 'node_modules', 'stopgrad', f), 'utf8')
      .split('\n')
      .filter((line) => /^\s+(readonly |static |get |set |protected )*_\w*[?(:]/.test(line))
      .map((line) => `${f}: ${line.trim()}`),
  );
  expect(internal).toEqual([]);
  // Bundlers read sideEffects from the nearest package.json: dist/esm's and dist/cjs's own.
  const installed = path.join(consumer, 'node_modules', 'stopgrad');
  const rootList = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8')).sideEffects as string[];
  for (const build of ['esm', 'cjs']) {
    const nested = JSON.parse(fs.readFileSync(path.join(installed, 'dist', build, 'package.json'), 'utf8'));
    expect(nested.type).toBe(build === 'esm' ? 'module' : 'commonjs');
    expect(nested.sideEffects.map((f: string) => `./dist/${build}/${f.slice(2)}`)).toEqual(
      rootList.filter((f) => f.startsWith(`./dist/${build}/`)),
    );
  }
});

/** The sum of A·A for the consumers' 64 x 64 matrix A[i][j] = (i + j) mod 5 - 2, computed here. */
const THREADED_SUM = (() => {
  const a = (i: number, j: number) => ((i + j) % 5) - 2;
  let sum = 0;
  for (let i = 0; i < 64; i++) for (let j = 0; j < 64; j++) for (let k = 0; k < 64; k++) sum += a(i, k) * a(k, j);
  return sum;
})();

test('CommonJS: require() gets dist/cjs, computes, checkpoints in memory and on disk, draws SVG', async () => {
  const { stdout } = await run(process.execPath, ['check.cjs'], { cwd: consumer });
  expect(JSON.parse(stdout)).toEqual({
    entry: 'dist/cjs/index.js',
    data: 10,
    grad: 6,
    sameWeights: [true, true],
    threads: [2, THREADED_SUM, THREADED_SUM],
    svg: true,
  });
}, 30_000);

test('ES modules: import gets dist/esm, and stopgrad/node shares its classes', async () => {
  const { stdout } = await run(process.execPath, ['check.mjs'], { cwd: consumer });
  expect(JSON.parse(stdout)).toEqual({
    entry: 'dist/esm/index.js',
    data: 10,
    grad: 6,
    sameWeights: [true, true],
    threads: [2, THREADED_SUM, THREADED_SUM],
    svg: true,
  });
}, 30_000);

test.each([
  [
    'nodenext',
    { module: 'nodenext', moduleResolution: 'nodenext', lib: ['ES2022'] },
    ['consumer.ts', 'consumer-esm.mts'],
  ],
  ['bundler', { module: 'esnext', moduleResolution: 'bundler', lib: ['ES2022', 'DOM'] }, ['consumer.ts']],
])(
  'strict TypeScript, moduleResolution %s, shipped types checked too',
  async (name, options, files) => {
    const config = path.join(consumer, `tsconfig.${name}.json`);
    const compilerOptions = {
      ...options,
      target: 'ES2022',
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      types: [],
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
    };
    fs.writeFileSync(config, JSON.stringify({ compilerOptions, files }));
    const result = await run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', config], {
      cwd: consumer,
    }).catch((error) => error);
    expect(String(result.stdout)).toBe('');
  },
  60_000,
);

test('esbuild --platform=browser: a Value-only app bundles small, with no shims, and runs', async () => {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    absWorkingDir: consumer,
    entryPoints: ['value-only.js'],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    minify: true,
    write: false,
    logLevel: 'silent',
    metafile: true,
  });
  expect(result.warnings).toEqual([]);
  // Only the graph core and the ops: the sideEffects lists in dist/*/package.json let esbuild drop
  // modules, optimisers, data, drawing, lodash and Graphviz.
  const [output] = Object.values(result.metafile.outputs);
  const inputs = Object.entries(output.inputs)
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([f]) => f.replace('node_modules/stopgrad/dist/esm/', ''));
  // The scalar engine, its ops, and the backward entry with the gradient algebra it is handed: nothing else.
  expect(
    inputs.filter((f) => !/^(engine|ops)\/[\w-]+\.js$/.test(f) && !/^autograd\/(backward|algebra)\.js$/.test(f)),
  ).toEqual(['value-only.js']);
  expect(inputs).toEqual(
    expect.arrayContaining([
      'engine/value.js',
      'autograd/backward.js',
      'ops/arithmetic.js',
      'ops/smooth.js',
      'ops/piecewise.js',
      'ops/reductions.js',
    ]),
  );
  const code = result.outputFiles[0].text;
  fs.writeFileSync(path.join(consumer, 'value-only.bundle.mjs'), code);
  const { stdout } = await run(process.execPath, ['value-only.bundle.mjs'], { cwd: consumer });
  const y = Math.tanh(10);
  expect(JSON.parse(stdout)).toEqual([y, (1 - y * y) * 6]);
  expect(code).not.toMatch(/viz-js|graphviz|lodash|require\(/i);
  const bytes = Buffer.byteLength(code);
  console.log(
    `Value-only browser bundle: ${(bytes / 1024).toFixed(1)} KB minified, ${(gzipSync(code).length / 1024).toFixed(1)} KB gzipped`,
  );
  expect(bytes).toBeLessThan(25 * 1024);
  // stopgrad/node in a browser bundle resolves to a stub that names the browser-safe functions.
  const stub = await esbuild.build({
    absWorkingDir: consumer,
    entryPoints: ['node-in-browser.js'],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    logLevel: 'silent',
  });
  fs.writeFileSync(path.join(consumer, 'node-stub.bundle.mjs'), stub.outputFiles[0].text);
  const stubbed = await run(process.execPath, ['node-stub.bundle.mjs'], { cwd: consumer });
  expect(stubbed.stdout).toMatch(
    /^save: stopgrad\/node needs Node's file system\. In a browser, use toCheckpoint\/fromCheckpoint, toSafetensors\/loadSafetensorsBytes, toOnnx and toSvg/,
  );
}, 60_000);

test('publint and arethetypeswrong find no problems in the tarball', async () => {
  const publint = await run(bin('publint'), ['run', tarball, '--strict'], { cwd: work }).catch((error) => error);
  expect([publint.code ?? 0, String(publint.stdout)]).toEqual([0, expect.not.stringMatching(/Errors|Warnings/)]);
  const attw = await run(bin('attw'), [tarball, '--format', 'json'], { cwd: work }).catch((error) => error);
  const report = JSON.parse(String(attw.stdout));
  expect(report.problems).toEqual({});
  expect(Object.keys(report.analysis.entrypoints)).toEqual(['.', './node', './package.json']);
  expect(attw.code ?? 0).toBe(0);
}, 60_000);

const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser', process.env.CHROMIUM ?? ''].find(
  (p) => p !== '' && fs.existsSync(p),
);
const browserTest = chromium || process.env.STOPGRAD_REQUIRE_BROWSER === '1' ? test : test.skip;

browserTest(
  'the browser example, bundled from the tarball, trains in headless Chromium: falling loss and an SVG graph',
  async () => {
    expect(chromium).toBeDefined(); // CI installs Debian's chromium (.ci/run); locally: apt-get install -y chromium
    const page = path.join(consumer, 'page');
    fs.mkdirSync(page);
    for (const file of fs.readdirSync(path.join(root, 'examples', 'browser'))) {
      if (/\.(ts|html)$/.test(file))
        fs.copyFileSync(path.join(root, 'examples', 'browser', file), path.join(page, file));
    }
    const { sizes } = await buildExample({ dir: page });
    const [main, graphviz] = [sizes['dist/main.js'], Math.max(...Object.values(sizes))];
    console.log(
      `Browser example: main.js ${(main / 1024).toFixed(1)} KB, Graphviz chunk ${(graphviz / 1024).toFixed(0)} KB (loaded on first draw)`,
    );
    // About 110 KB of library and example, plus the wasm kernels (38 KB of wasm as 51 KB of base64,
    // and the 2.7 KB FMA matmul as 3.9 KB).
    expect(main).toBeLessThan(172 * 1024);
    const server = await serve(page);
    const profile = fs.mkdtempSync(path.join(work, 'chromium-'));
    let child: ChildProcess | undefined;
    try {
      const url = `http://127.0.0.1:${(server.address() as import('net').AddressInfo).port}/`;
      const flags = [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--user-data-dir=${profile}`,
        '--virtual-time-budget=60000',
        '--dump-dom',
        url,
      ];
      const dom = await new Promise<string>((resolve, reject) => {
        child = spawn(chromium!, flags, { stdio: ['ignore', 'pipe', 'ignore'] });
        let out = '';
        child.stdout!.on('data', (chunk) => (out += chunk));
        child.on('error', reject);
        child.on('close', () => resolve(out));
      });
      const status = dom.match(/<output id="status"([^>]*)>/)?.[1] ?? '';
      const attribute = (name: string) =>
        status.match(new RegExp(`data-${name}="([^"]*)"`))?.[1]?.replace(/&quot;/g, '"');
      expect(attribute('done')).toBe('true');
      const losses = JSON.parse(attribute('losses') ?? '[]') as number[];
      expect(losses).toHaveLength(100);
      expect(losses[99]).toBeLessThan(losses[0] / 5);
      expect(losses.slice(90).every((loss) => loss < losses[10])).toBe(true);
      expect(Number(attribute('accuracy'))).toBeGreaterThanOrEqual(0.97);
      const graph = dom.slice(dom.indexOf('<div id="graph">'));
      expect(graph).toMatch(/^<div id="graph"><svg [^>]*>/);
      expect(graph).toContain('stopGradient');
      expect(graph).toContain('detach_()');
    } finally {
      child?.kill();
      server.close();
    }
  },
  120_000,
);
