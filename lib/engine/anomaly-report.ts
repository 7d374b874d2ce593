/** The error `detectAnomaly` raises when a backward rule produces NaN or ±Infinity. */
import type { Value } from './value';

/** An Error naming the op whose rule produced `grad` for `parent`, and where it was created. @internal */
export function anomalyError(node: Value, parent: Value, grad: number | Value): Error {
  const op = node._rule === null ? 'a leaf' : `'${node._rule.name}'`;
  const value = typeof grad === 'number' ? grad : grad.data;
  const where = node._extras?.createdAt ?? '(created outside detectAnomaly, so its place is unknown)';
  const input = parent.label !== '' ? ` (labelled "${parent.label}")` : '';
  return new Error(
    `detectAnomaly: the backward rule of ${op} produced ${value} for one of its inputs${input} from a finite gradient. ` +
      `The ${op} node (data=${node.data}) was created ${where.startsWith('at ') ? where : `at ${where}`}. ` +
      'Look for a division by zero, log or sqrt of 0 or of a negative number, or an overflow there.',
  );
}
