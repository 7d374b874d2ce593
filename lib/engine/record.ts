/**
 * Recording an op's result: the one place that decides whether a graph is recorded. Ops call
 * `makeNode` with their backward rule and operands; the core stays free of op code.
 */
import { creationSite, isDetectingAnomalies } from './anomaly-mode';
import { describeForError } from './errors';
import { Flag } from './flags';
import { isGradEnabled } from './grad-mode';
import type { BackwardRule } from './rule';
import { extrasOf } from './extras';
import { Value } from './value';

/**
 * Creates the result node of an op. It records `rule` and the parents only when grad mode is
 * on and some parent requires grad; otherwise it is a leaf that needs no grad and keeps no
 * parents, so a frozen or no-grad computation costs no graph memory.
 * @internal
 */
export function makeNode(
  rule: BackwardRule,
  data: number,
  a: Value | null,
  b: Value | number | null,
  args: readonly (Value | number)[] | null,
  anyRequiresGrad: boolean,
): Value {
  const out = new Value(data);
  if (!anyRequiresGrad) {
    out._flags = Flag.ComputedFromConstants;
  } else if (!isGradEnabled()) {
    out._flags = Flag.CreatedUnderNoGrad;
  } else {
    out._a = a;
    out._rest = args !== null ? args : b;
    out._rule = rule;
    if (isDetectingAnomalies()) extrasOf(out).createdAt = creationSite();
  }
  return out;
}

/** Throws the TypeError for an operand that is neither a Value nor a number. @internal */
export function badOperand(op: string, operand: unknown): never {
  throw new TypeError(
    `${op}(): expected a Value or a number, got ${describeForError(operand)}. ` +
      'Strings are not converted: pass Number(s), or wrap data with new Value(x).',
  );
}

/** Whether gradient flows into `value` (the hot-path form of `value.requiresGrad`). @internal */
export function needsGrad(value: Value): boolean {
  return (value._flags & Flag.RequiresGrad) !== 0;
}
