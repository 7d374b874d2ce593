/**
 * `toSvg`: the DOT drawing rendered by Graphviz compiled to WebAssembly (@viz-js/viz: no system
 * Graphviz, nothing downloaded at install). Runs in every runtime; Graphviz is loaded by a real
 * dynamic `import()` on first use, so bundles that never draw never carry it. Writing the
 * drawing to a file is `saveGraph` in `stopgrad/node`.
 */
import type { DrawnNode } from './graph-walk';
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
export async function toSvg(root: DrawnNode, options: DotOptions = {}): Promise<string> {
  checkDotOptions('toSvg(root, options)', options);
  const dot = toDot(root, options);
  return (await graphviz()).renderString(dot, { format: 'svg' });
}
