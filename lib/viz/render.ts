/**
 * `toSvg` and `saveGraph`: the DOT drawing rendered by Graphviz compiled to WebAssembly
 * (@viz-js/viz: no system Graphviz, nothing downloaded at install).
 */
import { promises as fs } from 'fs';
import { createRequire } from 'module';
import * as path from 'path';
import type { Value } from '../engine/value';
import { type DotOptions, toDot } from './dot';
import type * as VizModule from '@viz-js/viz' with { 'resolution-mode': 'import' };

// @viz-js/viz is an ECMAScript module package with a CommonJS build. This file is CommonJS, so
// it loads that build with `require` (the same under Node, ts-node and jest, which cannot run a
// dynamic import() without --experimental-vm-modules); the types are the package's ESM ones.
type VizInstance = Awaited<ReturnType<typeof VizModule.instance>>;
const requireHere = createRequire(__filename);
let viz: Promise<VizInstance> | null = null;

/** The Graphviz instance, loaded once on first use (about 70 ms). */
function graphviz(): Promise<VizInstance> {
  viz ??= Promise.resolve().then(() => (requireHere('@viz-js/viz') as typeof VizModule).instance());
  return viz;
}

/**
 * The graph reachable from `root` as SVG text (see `toDot` for the options).
 *
 * @example
 * const svg = await toSvg(new Value(2).mul(3));   // '<?xml ...><svg ...>...</svg>'
 */
export async function toSvg(root: Value, options: DotOptions = {}): Promise<string> {
  const dot = toDot(root, options);
  return (await graphviz()).renderString(dot, { format: 'svg' });
}

/**
 * Writes the graph reachable from `root` to `file`: SVG for a `.svg` path, DOT text for `.dot`.
 * The write is atomic (a temporary file, then a rename).
 *
 * @example
 * await saveGraph(loss, 'graph.svg');
 */
export async function saveGraph(root: Value, file: string, options: DotOptions = {}): Promise<void> {
  if (typeof file !== 'string') throw new TypeError(`saveGraph(root, path): path must be a string, got ${typeof file}.`);
  const extension = path.extname(file).toLowerCase();
  if (extension !== '.svg' && extension !== '.dot') {
    throw new Error(`saveGraph(root, path): path must end in .svg or .dot, got '${path.basename(file)}'.`);
  }
  const text = extension === '.svg' ? await toSvg(root, options) : toDot(root, options);
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await fs.writeFile(temporary, text, 'utf8');
    await fs.rename(temporary, file);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
}
