/**
 * Making an op's result tensor: storage from the current backend, and the graph recorded (or
 * not) by the core's one rule. Rules that read their inputs or output save storage versions,
 * so that a later in-place change makes backward throw instead of computing a wrong gradient.
 */
import type { GraphNode, Operands } from '../engine/node';
import { type BackwardRule, needsGrad, record } from '../engine/record';
import type { DType, TypedArray } from '../backends/backend';
import { currentBackend } from './backend-choice';
import type { Shape } from './shape';
import { sizeOf } from './shape';
import { Tensor } from './tensor';

/** A new tensor of `shape` and `dtype` (zero-filled) that no op produced yet. @internal */
export function empty(shape: Shape, dtype: DType): Tensor {
  return new Tensor(currentBackend().alloc(dtype, sizeOf(shape)), shape);
}

/**
 * A new tensor for a kernel that writes every element (binary, unary, matmul): on wasm its
 * block is not zero-filled first. @internal
 */
export function uninitialized(shape: Shape, dtype: DType): Tensor {
  const backend = currentBackend();
  const length = sizeOf(shape);
  return new Tensor(backend.empty !== undefined ? backend.empty(dtype, length) : backend.alloc(dtype, length), shape);
}

/** The typed array behind `t` (read after all allocations of a kernel call). @internal */
export function dataOf(t: Tensor): TypedArray {
  return t._data;
}

/** Whether any operand is a node that requires grad. @internal */
export function anyNeedsGrad(operands: readonly (GraphNode | number | null)[]): boolean {
  for (const o of operands) if (o !== null && typeof o !== 'number' && needsGrad(o)) return true;
  return false;
}

/**
 * Records `rule` on `out` with operands `a` and `rest` if grad mode is on and an operand
 * requires grad; `ctx` is what the rule will need. Saves the operands' and the output's
 * storage versions (checked by `checkVersions`). Returns `out`. @internal
 */
export function recordTensor(
  out: Tensor,
  rule: BackwardRule,
  a: GraphNode | null,
  rest: GraphNode | number | Operands | null,
  ctx: unknown = null,
): Tensor {
  const operands: (GraphNode | number | null)[] = Array.isArray(rest)
    ? [a, ...(rest as Operands)]
    : [a, rest as GraphNode | number | null];
  record(out, rule, a, rest, anyNeedsGrad(operands));
  if (out._rule !== null) {
    out._ctx = ctx;
    out._versions = operands.map((o) => (o instanceof Tensor ? o._storage.version : -1));
    out._versions.push(out._storage.version);
  }
  return out;
}

/**
 * Throws PyTorch's kind of error if a tensor `node`'s rule reads was changed in place after
 * the op ran. `which` lists the operand positions the rule reads (-1 for the output). @internal
 */
export function checkVersions(node: Tensor, which: readonly number[]): void {
  const versions = node._versions;
  if (versions === null) return;
  const operands: unknown[] = Array.isArray(node._rest)
    ? [node._a, ...(node._rest as Operands)]
    : [node._a, node._rest];
  for (const position of which) {
    const t = position < 0 ? node : operands[position];
    const saved = position < 0 ? versions[versions.length - 1] : versions[position];
    if (!(t instanceof Tensor) || t._storage.version === saved) continue;
    const what = position < 0 ? 'its output' : `input ${position}`;
    const name = t.label !== '' ? ` '${t.label}'` : '';
    throw new Error(
      `backward(): a tensor needed by '${node.op}' to compute gradients (${what}${name}, shape [${t.shape.join(', ')}]) was modified by an in-place ` +
        `operation: it is at version ${t._storage.version}, but '${node.op}' saved it at version ${saved}. ` +
        'Use the out-of-place op (x.add(y) instead of x.add_(y)), or clone() the tensor before changing it.',
    );
  }
}
