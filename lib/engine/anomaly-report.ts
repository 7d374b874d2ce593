/** The error `detectAnomaly` raises when a backward rule produces NaN or ±Infinity. */
import type { Value } from './value';

/**
 * An Error naming the op whose rule produced `grad` for `parent` (or, when `summed`, whose
 * finite gradient overflowed to `grad` when added to the one already there), and where it was
 * created. @internal
 */
export function anomalyError(node: Value, parent: Value, grad: number | Value, summed = false): Error {
  const op = node._rule === null ? 'a leaf' : `'${node._rule.name}'`;
  const value = typeof grad === 'number' ? grad : grad.data;
  const where = node._extras?.createdAt ?? '(created outside detectAnomaly, so its place is unknown)';
  const input = parent.label !== '' ? ` (labelled "${parent.label}")` : '';
  return new Error(
    (summed
      ? `detectAnomaly: the backward rule of ${op} produced a finite gradient for one of its inputs${input}, but adding it to the gradient already there overflowed to ${value}. `
      : `detectAnomaly: the backward rule of ${op} produced ${value} for one of its inputs${input} from a finite gradient. `) +
      `The ${op} node (data=${node.data}) was created ${where.startsWith('at ') ? where : `at ${where}`}. ` +
      'Look for a division by zero, log or sqrt of 0 or of a negative number, or an overflow there.',
  );
}

/** An Error naming the node whose gradient hook turned the finite gradient `before` into `after`. @internal */
export function hookAnomalyError(node: Value, before: number, after: number): Error {
  const what = node.label !== '' ? `the node labelled "${node.label}"` : node._rule === null ? 'a leaf' : `a '${node._rule.name}' node`;
  const where = node._extras?.createdAt ?? '(created outside detectAnomaly, so its place is unknown)';
  return new Error(
    `detectAnomaly: a gradient hook on ${what} (data=${node.data}) returned ${after} for the finite gradient ${before}. ` +
      `The node was created ${where.startsWith('at ') ? where : `at ${where}`}. Check what that hook computes.`,
  );
}
