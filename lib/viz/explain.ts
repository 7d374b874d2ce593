/**
 * `explainGrad(output, input)`: "why is this gradient zero, or missing?", answered in words.
 * It walks the graph from `output`: if no path reaches `input`, it names the cut that explains
 * it (a node detached in place, a noGrad result, a stopGradient copy, a frozen leaf); if a path
 * does but the gradient is 0, it names the ops whose local derivative was 0 on those paths.
 */
import { grad } from '../autograd/grad';
import { localDerivatives, noGradReason, type NoGradReason, zeroReasonOf } from '../engine/provenance';
import { Value } from '../engine/value';
import { onesLike } from '../tensor/create';
import { Tensor } from '../tensor/tensor';
import { type DrawnNode, checkDrawable, dataText, formatNumber, opLabel } from './graph-walk';

/** One edge on a path from output to input whose local derivative is 0. */
export interface ZeroEdge {
  /** The node whose op has derivative 0 with respect to `parent` (scalar ops only). */
  node: Value;
  parent: Value;
  /** Why, in a few words: "a relu below 0", "a multiply by 0", ... */
  reason: string;
}

/** What `explainGrad` found. */
export interface GradExplanation {
  /**
   * 'flows': d output/d input is non-zero; 'zero': a path exists but the gradient is 0;
   * 'cut': no path gradient can take (see `cause` and `node`); 'same': output is input.
   */
  verdict: 'flows' | 'zero' | 'cut' | 'same';
  /**
   * d output / d input, when a path exists (computed without touching any .grad); for a Tensor
   * input, the largest |element| of it (a tensor output is seeded with ones, as for its sum).
   */
  gradient: number | null;
  /** For 'cut': why the path is cut; 'unused' when input was never used for output. */
  cause: NoGradReason | 'unused' | null;
  /** The exact node responsible: the cut, the frozen input, or the first zero edge's node. */
  node: DrawnNode | null;
  /** For 'zero': the zero local derivatives on the paths, nearest the output first. */
  zeroEdges: ZeroEdge[];
  /** The answer in words. */
  message: string;
}

function name(node: DrawnNode): string {
  if (node.label !== '') return `'${node.label}'`;
  const what = node instanceof Tensor ? `shape ${dataText(node, 6)}` : `data ${formatNumber(node.data)}`;
  return node.isLeaf ? `a leaf (${what})` : `the '${opLabel(node)}' node (${what})`;
}

const CUT_WORDS: Record<NoGradReason, string> = {
  'detached-in-place': 'was detached in place with detach_(), which dropped its parents',
  'stop-gradient': 'is a detach() / stopGradient() copy, which has no parents',
  'no-grad': 'was computed under noGrad(), so it kept no parents',
  frozen: 'is a frozen leaf (requiresGrad_(false))',
  'from-constants':
    'was computed only from values that need no grad (constants, frozen leaves or stopGradient copies), so it kept no parents',
  constant: 'is a constant',
};

/**
 * Explains the gradient of `output` with respect to `input`: whether it flows, and if not,
 * exactly which node cuts it or which ops make it zero. Changes nothing, and runs no gradient
 * hooks (the gradient it reports is the one before any hook would replace it).
 *
 * @example
 * const x = new Value(3, { label: 'x' });
 * const y = x.mul(2).detach_();
 * explainGrad(y.add(1), x).message;
 * // "No gradient reaches 'x': the path from the output is cut at the 'mul 2' node (data 6), which was detached in place ..."
 */
export function explainGrad(output: DrawnNode, input: DrawnNode): GradExplanation {
  checkDrawable('explainGrad(output, input)', 'output', output);
  checkDrawable('explainGrad(output, input)', 'input', input);
  const base = { gradient: null, cause: null, node: null, zeroEdges: [] as ZeroEdge[] };
  if (output === input)
    return { ...base, verdict: 'same', gradient: 1, message: 'The output is the input itself: its gradient is 1.' };

  // Every node reachable from output, and which of them lead to input.
  const consumers = new Map<DrawnNode, DrawnNode[]>([[output, []]]);
  const order: DrawnNode[] = [output];
  for (let i = 0; i < order.length; i++) {
    for (const parent of order[i].parents as readonly DrawnNode[]) {
      if (!consumers.has(parent)) {
        consumers.set(parent, []);
        order.push(parent);
      }
      consumers.get(parent)!.push(order[i]);
    }
  }
  if (!consumers.has(input)) return explainCut(order, input);

  const reason = noGradReason(input);
  if (reason !== null) {
    return {
      ...base,
      verdict: 'cut',
      cause: reason,
      node: input,
      message: `No gradient reaches ${name(input)}: it is used by the output, but it ${CUT_WORDS[reason]}.${FIXES[reason] ?? ''}`,
    };
  }
  const gradOutput = output instanceof Tensor && output.size !== 1 ? onesLike(output) : undefined;
  const [g] = withoutHooks(order, () => grad(output, [input], { allowUnused: true, gradOutput }));
  const size = g instanceof Tensor ? largestMagnitude(g) : g.data;
  if (size !== 0) {
    const text =
      g instanceof Tensor
        ? `max |d output / d ${name(input)}| = ${formatNumber(size, 6)}`
        : `d output / d ${name(input)} = ${formatNumber(size, 6)}`;
    return { ...base, verdict: 'flows', gradient: size, message: `Gradient flows: ${text}.` };
  }
  const gData = 0;
  const onPath = new Set<DrawnNode>([input]);
  const queue = [input];
  for (let i = 0; i < queue.length; i++) {
    for (const consumer of consumers.get(queue[i]) ?? []) {
      if (!onPath.has(consumer)) {
        onPath.add(consumer);
        queue.push(consumer);
      }
    }
  }
  const zeroEdges: ZeroEdge[] = [];
  for (const node of order) {
    if (!onPath.has(node) || !(node instanceof Value)) continue;
    for (const { parent, derivative, index } of localDerivatives(node)) {
      if (derivative === 0 && onPath.has(parent) && !zeroEdges.some((e) => e.node === node && e.parent === parent)) {
        zeroEdges.push({
          node,
          parent,
          reason:
            zeroReasonOf(node, index) ?? `the local derivative of '${node.op}' is 0 at ${formatNumber(parent.data)}`,
        });
      }
    }
  }
  if (zeroEdges.length === 0) {
    return {
      ...base,
      verdict: 'zero',
      gradient: gData,
      message: `d output / d ${name(input)} is 0: the contributions of the paths from the output cancel out exactly (no single scalar op has derivative 0; tensor ops are not inspected element by element).`,
    };
  }
  const listed = zeroEdges.slice(0, 3).map((e) => `${name(e.node)}: ${e.reason}`);
  const more = zeroEdges.length > 3 ? `, and ${zeroEdges.length - 3} more` : '';
  return {
    ...base,
    verdict: 'zero',
    gradient: gData,
    node: zeroEdges[0].node,
    zeroEdges,
    message: `d output / d ${name(input)} is 0, though a path exists: ${zeroEdges.length === 1 ? 'an op on it has' : 'ops on it have'} local derivative 0 — ${listed.join('; ')}${more}.`,
  };
}

/** How to let gradient in, for the leaves a user can change. */
const FIXES: Partial<Record<string, string>> = {
  frozen: ' Unfreeze it with requiresGrad_().',
  constant:
    ' It was created with requiresGrad: false; let gradient in with requiresGrad_() (or create it without that option).',
};

/**
 * Runs `fn` with the gradient hooks of `nodes` set aside (explaining must not run user code,
 * which may throw or have effects) and puts them back, even if `fn` throws.
 */
function withoutHooks<T>(nodes: readonly DrawnNode[], fn: () => T): T {
  const saved: [DrawnNode, NonNullable<Value['_extras']>['hooks']][] = [];
  for (const node of nodes) {
    if (node._extras !== null && node._extras.hooks !== null) {
      saved.push([node, node._extras.hooks]);
      node._extras.hooks = null;
    }
  }
  try {
    return fn();
  } finally {
    for (const [node, hooks] of saved) node._extras!.hooks = hooks;
  }
}

/** No path reaches input: name the cut nearest the output that could explain it. */
function explainCut(order: DrawnNode[], input: DrawnNode): GradExplanation {
  const base = { verdict: 'cut' as const, gradient: null, zeroEdges: [] as ZeroEdge[] };
  const output = order[0];
  const outputReason = noGradReason(output);
  if (outputReason !== null && output.isLeaf) {
    return {
      ...base,
      cause: outputReason,
      node: output,
      message: `No gradient reaches ${name(input)}: the output itself needs no grad — it ${CUT_WORDS[outputReason]}.`,
    };
  }
  const cuts = order.filter(
    (node) =>
      node.isLeaf &&
      node !== output &&
      (['detached-in-place', 'stop-gradient', 'no-grad', 'from-constants'] as (string | null)[]).includes(
        noGradReason(node),
      ),
  );
  if (cuts.length === 0) {
    return {
      ...base,
      cause: 'unused',
      node: null,
      message: `No gradient reaches ${name(input)}: the output was not computed from it (no path leads from the output to it).`,
    };
  }
  const cut = cuts[0];
  const reason = noGradReason(cut)!;
  const others =
    cuts.length > 1 ? ` (${cuts.length - 1} more cut${cuts.length > 2 ? 's' : ''} like it in the graph)` : '';
  return {
    ...base,
    cause: reason,
    node: cut,
    message:
      `No gradient reaches ${name(input)}: no path leads from the output to it. The path is cut at ${name(cut)}, which ${CUT_WORDS[reason]}${others}; ` +
      'if the input was used behind it, that is where its gradient stops.',
  };
}

/** The largest |element| of a tensor gradient (NaN if any element is NaN). */
function largestMagnitude(g: Tensor): number {
  let largest = 0;
  for (const x of g._data) {
    if (Number.isNaN(x)) return NaN;
    largest = Math.max(largest, Math.abs(x));
  }
  return largest;
}
