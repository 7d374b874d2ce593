/**
 * `toSvg` and `saveGraph`: the DOT drawing rendered by Graphviz compiled to WebAssembly
 * (@viz-js/viz: no system Graphviz, nothing downloaded at install).
 */
import * as path from 'path';
import { writeFileAtomic } from '../io/atomic-file';
import type { Value } from '../engine/value';
import { describeForError } from '../engine/errors';
import { type DotOptions, checkDotOptions, toDot } from './dot';

type VizInstance = Awaited<ReturnType<typeof import('@viz-js/viz').instance>>;
let viz: Promise<VizInstance> | null = null;

/** The Graphviz instance, loaded once on first use (about 70 ms). */
function graphviz(): Promise<VizInstance> {
  if (viz === null) viz = import('@viz-js/viz').then((module) => module.instance());
  return viz;
}

/**
 * The graph reachable from `root` as SVG text (see `toDot` for the options).
 *
 * @example
 * const svg = await toSvg(new Value(2).mul(3));   // '<?xml ...><svg ...>...</svg>'
 */
export async function toSvg(root: Value, options: DotOptions = {}): Promise<string> {
  checkDotOptions('toSvg(root, options)', options);
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
  if (typeof file !== 'string') throw new TypeError(`saveGraph(root, path): path must be a string, got ${describeForError(file)}.`);
  checkDotOptions('saveGraph(root, path, options)', options);
  const extension = path.extname(file).toLowerCase();
  if (extension !== '.svg' && extension !== '.dot') {
    throw new Error(`saveGraph(root, path): path must end in .svg or .dot, got '${path.basename(file)}'.`);
  }
  const text = extension === '.svg' ? await toSvg(root, options) : toDot(root, options);
  await writeFileAtomic('saveGraph(root, path)', file, text);
}
