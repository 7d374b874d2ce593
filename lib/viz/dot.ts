/**
 * `toDot`: Graphviz DOT text for a Value's graph, micrograd-style (a box per value, an ellipse
 * per op), with frozen, constant, stop-gradient, no-grad and detached nodes styled distinctly
 * and the fill shaded by |grad|.
 */
import { booleanOption, choiceOption, integerOption, optionsObject } from '../util/options';
import {
  type DrawnNode,
  type NodeKind,
  checkDrawable,
  dataText,
  gradMagnitude,
  gradText,
  kindOf,
  KIND_NOTES,
  opLabel,
  walkGraph,
} from './graph-walk';

/** Options for `toDot` and `toSvg`. */
export interface DotOptions {
  /** Layout direction: left to right (default) or top to bottom. */
  rankdir?: 'LR' | 'TB';
  /**
   * Draw at most this many values (default 300); the rest become one "N more nodes" marker
   * (counted up to 10,000 past the limit: the walk stops there, so huge graphs draw fast).
   */
  maxNodes?: number;
  /**
   * Shade each value's fill by |grad| relative to the largest in the drawing (default true).
   * A NaN or ±Infinity gradient is always filled magenta (`#ff66ff`).
   */
  shadeGradients?: boolean;
  /** Significant digits for data and grad, 1 to 17 (default 4). */
  digits?: number;
}

const STYLES: Record<NodeKind, string> = {
  op: 'shape=box, style="rounded,filled", color="#333333"',
  leaf: 'shape=box, style="filled,bold", color="#1f5fbf", penwidth=2',
  frozen: 'shape=box, style="filled,dashed", color="#1f5fbf", penwidth=2',
  constant: 'shape=box, style="filled,dotted", color="#888888"',
  'from-constants': 'shape=box, style="filled,dotted", color="#888888"',
  'stop-gradient': 'shape=box, style="filled,dotted", color="#b35900", penwidth=2',
  'no-grad': 'shape=box, style="filled,dotted", color="#7a3fb3", penwidth=2',
  'detached-in-place': 'shape=box, style="filled,bold", color="#cc0000", penwidth=3, peripheries=2',
};

const TAGS: Partial<Record<NodeKind, string>> = {
  frozen: 'frozen',
  constant: 'constant',
  'from-constants': 'no graph: inputs need no grad',
  'stop-gradient': 'stopGradient',
  'no-grad': 'noGrad',
  'detached-in-place': 'detach_() — cut',
};

/** `options` of toDot, toSvg or saveGraph, checked, with the defaults filled in. */
export function checkDotOptions(where: string, options: DotOptions | undefined): Required<DotOptions> {
  const given = optionsObject(where, options);
  return {
    rankdir: choiceOption(where, 'rankdir', given.rankdir, 'LR', ['LR', 'TB']),
    maxNodes: integerOption(where, 'maxNodes', given.maxNodes, 300, 1),
    shadeGradients: booleanOption(where, 'shadeGradients', given.shadeGradients, true),
    digits: integerOption(where, 'digits', given.digits, 4, 1, 17),
  };
}

/** Characters XML 1.0 forbids (C0 controls but tab and newlines, U+FFFE, U+FFFF, lone surrogates). */
const NOT_XML =
  // eslint-disable-next-line no-control-regex -- matching the control characters XML forbids is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Escapes text for a double-quoted DOT string. Characters an SVG (XML) cannot hold are drawn
 * as their Unicode control pictures (U+0000 as ␀) or, for the rest, as U+FFFD.
 */
export function escapeDot(text: string): string {
  return text
    .replace(/\r\n|\r|\n/g, '\n')
    .replace(NOT_XML, (ch) => (ch.charCodeAt(0) < 0x20 ? String.fromCharCode(0x2400 + ch.charCodeAt(0)) : '\uFFFD'))
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n');
}

/**
 * Graphviz DOT text for everything reachable from `root` (up to `maxNodes` values).
 *
 * @example
 * const x = new Value(2, { label: 'x' });
 * toDot(x.mul(3));            // 'digraph stopgrad { ... }'
 */
export function toDot(root: DrawnNode, options: DotOptions = {}): string {
  checkDrawable('toDot(root)', 'root', root);
  const { rankdir, maxNodes, shadeGradients, digits } = checkDotOptions('toDot(root, options)', options);
  const graph = walkGraph(root, maxNodes);
  let largest = 0;
  for (const n of graph.nodes) {
    const magnitude = gradMagnitude(n);
    if (Number.isFinite(magnitude)) largest = Math.max(largest, magnitude);
  }
  const lines = [
    'digraph stopgrad {',
    `  rankdir=${rankdir};`,
    '  node [fontname="Helvetica,Arial,sans-serif", fontsize=11, margin="0.2,0.08"];',
    '  edge [color="#555555"];',
  ];
  graph.nodes.forEach((node, id) => {
    const kind = kindOf(node);
    const parts = [node.label, dataText(node, digits), gradText(node, digits)].filter((p) => p !== '');
    const tag = TAGS[kind];
    if (tag !== undefined) parts.push(tag);
    const magnitude = gradMagnitude(node);
    const fill = Number.isFinite(magnitude)
      ? kindFill(kind, shadeGradients && largest > 0 ? magnitude / largest : 0)
      : NON_FINITE_FILL;
    lines.push(
      `  v${id} [label="${escapeDot(parts.join(' | '))}", ${STYLES[kind]}, fillcolor="${fill}", tooltip="${escapeDot(KIND_NOTES[kind])}"];`,
    );
    if (!node.isLeaf) {
      lines.push(
        `  o${id} [label="${escapeDot(opLabel(node, digits))}", shape=ellipse, style=filled, fillcolor="#f2f2f2", color="#777777"];`,
      );
      lines.push(`  o${id} -> v${id};`);
    }
  });
  for (const [parent, child] of graph.edges) lines.push(`  v${parent} -> o${child};`);
  if (graph.omitted > 0) {
    const count = graph.omittedExact ? `${graph.omitted}` : `more than ${graph.omitted}`;
    lines.push(
      `  more [label="… ${count} more node${graph.omitted === 1 ? '' : 's'} (raise maxNodes to see them)", shape=note, style=filled, fillcolor="#fff3c4", color="#b38f00"];`,
    );
    for (const child of graph.cutOff) lines.push(`  more -> o${child} [style=dashed];`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

/** The fill of a node whose gradient is NaN or ±Infinity: the one a user hunting a bad gradient looks for. */
export const NON_FINITE_FILL = '#ff66ff';

/** The fill: kind colours for nodes gradient does not reach; white to orange by |grad| otherwise. */
function kindFill(kind: NodeKind, shade: number): string {
  if (kind === 'frozen') return '#dde6f5';
  if (kind === 'constant' || kind === 'from-constants' || kind === 'no-grad' || kind === 'stop-gradient')
    return '#eeeeee';
  if (kind === 'detached-in-place') return '#ffe0e0';
  const channel = (from: number, to: number) => Math.round(from + (to - from) * Math.min(1, Math.max(0, shade)));
  const hex = (n: number) => n.toString(16).padStart(2, '0');
  return `#${hex(255)}${hex(channel(255, 170))}${hex(channel(255, 60))}`;
}
