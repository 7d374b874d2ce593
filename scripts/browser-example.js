/**
 * `npm run example:browser`: bundles examples/browser/main.ts for the browser with esbuild
 * (from the built package in dist/esm, exactly as an app gets it) and serves the page on
 * http://127.0.0.1:8080/ (PORT=... to change). `--build-only` bundles and exits.
 *
 * Also used by spec/package/packed.spec.ts to bundle the same page inside a consumer project
 * against the packed tarball, and to serve it to headless Chromium.
 */
'use strict';
const fs = require('fs');
const http = require('http');
const path = require('path');

const root = path.resolve(__dirname, '..');
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * Bundles `dir`/main.ts into `dir`/dist (ES modules, split so Graphviz is its own chunk that
 * loads on first draw). `stopgrad` resolves through node_modules unless `stopgradEntry` is given.
 * Returns the bytes of each output file.
 */
async function buildExample({ dir = path.join(root, 'examples', 'browser'), stopgradEntry } = {}) {
  const esbuild = require('esbuild');
  const outdir = path.join(dir, 'dist');
  fs.rmSync(outdir, { recursive: true, force: true });
  const result = await esbuild.build({
    absWorkingDir: dir,
    entryPoints: [path.join(dir, 'main.ts')],
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    metafile: true,
    logLevel: 'warning',
    alias: stopgradEntry ? { stopgrad: stopgradEntry } : {},
  });
  const sizes = {};
  for (const [file, info] of Object.entries(result.metafile.outputs))
    sizes[path.relative(dir, path.resolve(dir, file))] = info.bytes;
  return { sizes, warnings: result.warnings };
}

/** Serves the files under `dir` on 127.0.0.1:`port` (0: any free port); resolves to the server. */
function serve(dir, port = 0) {
  const server = http.createServer((request, response) => {
    const url = new URL(request.url, 'http://localhost');
    const file = path.join(
      dir,
      path.normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '') || 'index.html',
    );
    if (!file.startsWith(dir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      const index = path.join(file, 'index.html');
      if (file.startsWith(dir) && fs.existsSync(index)) return send(response, index);
      response.writeHead(404).end('not found');
      return;
    }
    send(response, file);
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

function send(response, file) {
  response.writeHead(200, {
    'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'cache-control': 'no-store',
  });
  fs.createReadStream(file).pipe(response);
}

module.exports = { buildExample, serve };

if (require.main === module) {
  (async () => {
    const dir = path.join(root, 'examples', 'browser');
    const { sizes } = await buildExample({ dir, stopgradEntry: path.join(root, 'dist', 'esm', 'index.js') });
    for (const [file, bytes] of Object.entries(sizes)) console.log(`${file}: ${(bytes / 1024).toFixed(1)} KB`);
    if (process.argv.includes('--build-only')) return;
    const server = await serve(dir, Number(process.env.PORT ?? 8080));
    console.log(`Open http://127.0.0.1:${server.address().port}/ (Ctrl-C to stop)`);
  })().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
