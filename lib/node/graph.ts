/** `saveGraph`: a graph drawing written to a file (Node only; import from `stopgrad/node`). */
import * as path from 'path';
import type { DrawnNode } from '../viz/graph-walk';
import { type DotOptions, toDot } from '../viz/dot';
import { toSvg } from '../viz/render';
import { describeForError } from '../engine/errors';
import { checkDotOptions } from '../viz/dot';
import { writeFileAtomic } from './atomic-file';

/**
 * Writes the graph reachable from `root` to `file`: SVG for a `.svg` path, DOT text for `.dot`.
 * The write is atomic (a temporary file, then a rename).
 *
 * @example
 * import { saveGraph } from 'stopgrad/node';
 * await saveGraph(loss, 'graph.svg');
 */
export async function saveGraph(root: DrawnNode, file: string, options: DotOptions = {}): Promise<void> {
  if (typeof file !== 'string')
    throw new TypeError(`saveGraph(root, path): path must be a string, got ${describeForError(file)}.`);
  checkDotOptions('saveGraph(root, path, options)', options);
  const extension = path.extname(file).toLowerCase();
  if (extension !== '.svg' && extension !== '.dot') {
    throw new Error(`saveGraph(root, path): path must end in .svg or .dot, got '${path.basename(file)}'.`);
  }
  const text = extension === '.svg' ? await toSvg(root, options) : toDot(root, options);
  await writeFileAtomic('saveGraph(root, path)', file, text);
}
