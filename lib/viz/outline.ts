/**
 * `outline`: a graph as an indented text tree, for the REPL and anyone without a browser.
 * Each node is printed once; a node reached again says "(see #n)".
 */
import type { Value } from '../engine/value';
import { integerOption, optionsObject } from '../util/options';
import { type NodeKind, checkValue, formatNumber, kindOf, opLabel } from './graph-walk';

/** Options for `outline`. */
export interface OutlineOptions {
  /** Print at most this many nodes (default 200); then "… N more" lines. */
  maxNodes?: number;
  /** Significant digits for data and grad, 1 to 17 (default 4). */
  digits?: number;
}

const MARKS: Partial<Record<NodeKind, string>> = {
  leaf: '[leaf]',
  frozen: '[frozen]',
  constant: '[constant]',
  'from-constants': '[no graph: inputs need no grad]',
  'stop-gradient': '[stopGradient]',
  'no-grad': '[noGrad]',
  'detached-in-place': '[detach_: cut here]',
};

/**
 * The graph reachable from `root` as an indented tree, root first, parents below.
 *
 * @example
 * const x = new Value(3, { label: 'x' });
 * console.log(outline(x.mul(x).add(1)));
 * // #1 add 1  data=10 grad=0
 * // └─ #2 mul  data=9 grad=0
 * //    ├─ #3 x  data=3 grad=0 [leaf]
 * //    └─ (see #3) x
 */
export function outline(root: Value, options: OutlineOptions = {}): string {
  checkValue('outline(root)', 'root', root);
  const where = 'outline(root, options)';
  const given = optionsObject(where, options);
  const maxNodes = integerOption(where, 'maxNodes', given.maxNodes, 200, 1);
  const digits = integerOption(where, 'digits', given.digits, 4, 1, 17);
  const numbers = new Map<Value, number>();
  const lines: string[] = [];
  let skipped = 0;
  // Explicit stack of [node, indent prefix, connector]: graphs can be deeper than the call stack.
  const stack: [Value, string, string][] = [[root, '', '']];
  while (stack.length > 0) {
    const [node, prefix, connector] = stack.pop()!;
    const seen = numbers.get(node);
    const name = node.label !== '' ? node.label : node.isLeaf ? 'value' : opLabel(node, digits);
    if (seen !== undefined) {
      lines.push(`${prefix}${connector}(see #${seen}) ${name}`);
      continue;
    }
    if (numbers.size >= maxNodes) {
      skipped++;
      continue;
    }
    numbers.set(node, numbers.size + 1);
    const what = node.label !== '' && !node.isLeaf ? `${node.label} = ${opLabel(node, digits)}` : name;
    const mark = MARKS[kindOf(node)];
    lines.push(
      `${prefix}${connector}#${numbers.size} ${what}  data=${formatNumber(node.data, digits)} grad=${formatNumber(node.grad, digits)}${mark === undefined ? '' : ' ' + mark}`,
    );
    const childPrefix = prefix + (connector === '' ? '' : connector === '└─ ' ? '   ' : '│  ');
    const parents = node.parents;
    for (let i = parents.length - 1; i >= 0; i--)
      stack.push([parents[i], childPrefix, i === parents.length - 1 ? '└─ ' : '├─ ']);
  }
  if (skipped > 0) lines.push(`… ${skipped} more node references not shown (raise maxNodes)`);
  return lines.join('\n');
}
