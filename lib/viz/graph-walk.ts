/**
 * Walking a graph for drawing and explaining: breadth-first from the root over every parent
 * (whether or not gradient flows into it), iteratively, with a node limit; and a short,
 * uniform description of each node (what it is, why it needs no grad).
 */
import { describeForError } from '../engine/errors';
import { formatNumber } from '../engine/format';
import { constantOperands, noGradReason, wasDetachedInPlace } from '../engine/provenance';
import { Value } from '../engine/value';
import { Tensor } from '../tensor/tensor';

/** A node a drawing shows: a scalar Value or a Tensor. */
export type DrawnNode = Value | Tensor;

/** How a node is drawn: what it is, as far as gradient is concerned. */
export type NodeKind =
  'op' | 'leaf' | 'frozen' | 'constant' | 'from-constants' | 'stop-gradient' | 'no-grad' | 'detached-in-place';

/** The part of a graph that was walked. */
export interface WalkedGraph {
  /** The nodes in breadth-first order from the root (at most the limit). */
  nodes: DrawnNode[];
  /** Each walked node's index in `nodes`. */
  ids: Map<DrawnNode, number>;
  /** Edges parent -> child between walked nodes, as indices. */
  edges: [number, number][];
  /** How many reachable nodes were left out by the limit (counted up to `COUNT_BEYOND_LIMIT`). */
  omitted: number;
  /** Whether `omitted` is exact; false when counting stopped at `COUNT_BEYOND_LIMIT`. */
  omittedExact: boolean;
  /** Walked nodes with at least one parent that was left out. */
  cutOff: number[];
}

/** Throws a TypeError unless `value` is a Value. */
export function checkValue(where: string, name: string, value: unknown): asserts value is Value {
  if (!(value instanceof Value))
    throw new TypeError(`${where}: ${name} must be a Value, got ${describeForError(value)}.`);
}

/** Throws a TypeError unless `node` is a Value or a Tensor (what a drawing can show). */
export function checkDrawable(where: string, name: string, node: unknown): asserts node is DrawnNode {
  if (!(node instanceof Value) && !(node instanceof Tensor))
    throw new TypeError(`${where}: ${name} must be a Value or a Tensor, got ${describeForError(node)}.`);
}

/** How many nodes past the limit a walk still counts (then it stops: the drawing is bounded work). */
export const COUNT_BEYOND_LIMIT = 10_000;

/** Walks up to `maxNodes` nodes breadth-first from `root`, and counts up to `COUNT_BEYOND_LIMIT` more. */
export function walkGraph(root: DrawnNode, maxNodes: number): WalkedGraph {
  const ids = new Map<DrawnNode, number>([[root, 0]]);
  const nodes: DrawnNode[] = [root];
  const seen = new Set<DrawnNode>([root]);
  const queue: DrawnNode[] = [root];
  let omitted = 0;
  let omittedExact = true;
  walk: for (let i = 0; i < queue.length; i++) {
    for (const parent of queue[i].parents as readonly DrawnNode[]) {
      if (seen.has(parent)) continue;
      if (nodes.length < maxNodes) {
        ids.set(parent, nodes.length);
        nodes.push(parent);
      } else if (omitted === COUNT_BEYOND_LIMIT) {
        omittedExact = false;
        break walk;
      } else {
        omitted++;
      }
      seen.add(parent);
      queue.push(parent);
    }
  }
  const edges: [number, number][] = [];
  const cutOff: number[] = [];
  nodes.forEach((node, child) => {
    let cut = false;
    for (const parent of node.parents as readonly DrawnNode[]) {
      const id = ids.get(parent);
      if (id === undefined) cut = true;
      else edges.push([id, child]);
    }
    if (cut) cutOff.push(child);
  });
  return { nodes, ids, edges, omitted, omittedExact, cutOff };
}

/** What a node is, for styling: an op result, a leaf that needs grad, or why it needs none. */
export function kindOf(node: DrawnNode): NodeKind {
  if (wasDetachedInPlace(node)) return 'detached-in-place';
  const reason = noGradReason(node);
  if (reason !== null) return reason;
  return node.isLeaf ? 'leaf' : 'op';
}

/** The op's name with its numeric constants, as drawn: `mul 2`, `add 0.0001`. */
export function opLabel(node: DrawnNode, digits = 4): string {
  const constants = constantOperands(node);
  return constants.length === 0 ? node.op : `${node.op} ${constants.map((c) => formatNumber(c, digits)).join(', ')}`;
}

/** A few words on what a kind means for gradient. */
export const KIND_NOTES: Record<NodeKind, string> = {
  op: 'computed by an op; gradient flows through it',
  leaf: 'a leaf that requires grad (an input or parameter)',
  frozen: 'a frozen leaf (requiresGrad_(false)): no gradient reaches it',
  constant: 'a constant: it needs no grad',
  'from-constants':
    'computed only from values that need no grad (constants, frozen leaves, stopGradient copies): it kept no parents',
  'stop-gradient': 'made by detach() / stopGradient(): gradient stops here',
  'no-grad': 'computed under noGrad(): it kept no parents, so gradient stops here',
  'detached-in-place': 'cut by detach_(): it dropped its parents, so gradient stops here',
};

export { formatNumber };

/** What a node holds, as drawn: `data 0.5` for a Value, `[2, 3] float32` for a Tensor. */
export function dataText(node: DrawnNode, digits: number): string {
  return node instanceof Tensor
    ? `[${node.shape.join(', ')}]${node.dtype === 'float32' ? '' : ` ${node.dtype}`}`
    : `data ${formatNumber(node.data, digits)}`;
}

/** The size of a node's gradient for shading: |grad| of a Value, the largest |element| of a Tensor's (0 without one; NaN if any is not finite). */
export function gradMagnitude(node: DrawnNode): number {
  if (node instanceof Value) return Number.isFinite(node.grad) ? Math.abs(node.grad) : NaN;
  if (node.grad === null) return 0;
  let largest = 0;
  for (const g of node.grad._data) {
    if (!Number.isFinite(g)) return NaN;
    largest = Math.max(largest, Math.abs(g));
  }
  return largest;
}

/** The gradient as drawn: `grad 0.25` for a Value, `grad max|g| 0.25` (or `no grad`) for a Tensor. */
export function gradText(node: DrawnNode, digits: number): string {
  if (node instanceof Value) return `grad ${formatNumber(node.grad, digits)}`;
  return node.grad === null ? 'no grad' : `grad max|g| ${formatNumber(gradMagnitude(node), digits)}`;
}
