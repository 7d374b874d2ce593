/**
 * Walking a graph for drawing and explaining: breadth-first from the root over every parent
 * (whether or not gradient flows into it), iteratively, with a node limit; and a short,
 * uniform description of each node (what it is, why it needs no grad).
 */
import { describeForError } from '../engine/errors';
import { formatNumber } from '../engine/format';
import { constantOperands, noGradReason, wasDetachedInPlace } from '../engine/provenance';
import { Value } from '../engine/value';

/** How a node is drawn: what it is, as far as gradient is concerned. */
export type NodeKind = 'op' | 'leaf' | 'frozen' | 'constant' | 'from-constants' | 'stop-gradient' | 'no-grad' | 'detached-in-place';

/** The part of a graph that was walked. */
export interface WalkedGraph {
  /** The nodes in breadth-first order from the root (at most the limit). */
  nodes: Value[];
  /** Each walked node's index in `nodes`. */
  ids: Map<Value, number>;
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
  if (!(value instanceof Value)) throw new TypeError(`${where}: ${name} must be a Value, got ${describeForError(value)}.`);
}

/** How many nodes past the limit a walk still counts (then it stops: the drawing is bounded work). */
export const COUNT_BEYOND_LIMIT = 10_000;

/** Walks up to `maxNodes` nodes breadth-first from `root`, and counts up to `COUNT_BEYOND_LIMIT` more. */
export function walkGraph(root: Value, maxNodes: number): WalkedGraph {
  const ids = new Map<Value, number>([[root, 0]]);
  const nodes: Value[] = [root];
  const seen = new Set<Value>([root]);
  const queue: Value[] = [root];
  let omitted = 0;
  let omittedExact = true;
  walk: for (let i = 0; i < queue.length; i++) {
    for (const parent of queue[i].parents) {
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
    for (const parent of node.parents) {
      const id = ids.get(parent);
      if (id === undefined) cut = true;
      else edges.push([id, child]);
    }
    if (cut) cutOff.push(child);
  });
  return { nodes, ids, edges, omitted, omittedExact, cutOff };
}

/** What a node is, for styling: an op result, a leaf that needs grad, or why it needs none. */
export function kindOf(node: Value): NodeKind {
  if (wasDetachedInPlace(node)) return 'detached-in-place';
  const reason = noGradReason(node);
  if (reason !== null) return reason;
  return node.isLeaf ? 'leaf' : 'op';
}

/** The op's name with its numeric constants, as drawn: `mul 2`, `add 0.0001`. */
export function opLabel(node: Value, digits = 4): string {
  const constants = constantOperands(node);
  return constants.length === 0 ? node.op : `${node.op} ${constants.map((c) => formatNumber(c, digits)).join(', ')}`;
}

/** A few words on what a kind means for gradient. */
export const KIND_NOTES: Record<NodeKind, string> = {
  op: 'computed by an op; gradient flows through it',
  leaf: 'a leaf that requires grad (an input or parameter)',
  frozen: 'a frozen leaf (requiresGrad_(false)): no gradient reaches it',
  constant: 'a constant: it needs no grad',
  'from-constants': 'computed only from values that need no grad (constants, frozen leaves, stopGradient copies): it kept no parents',
  'stop-gradient': 'made by detach() / stopGradient(): gradient stops here',
  'no-grad': 'computed under noGrad(): it kept no parents, so gradient stops here',
  'detached-in-place': 'cut by detach_(): it dropped its parents, so gradient stops here',
};

export { formatNumber };
