/**
 * In-place ops: add_, sub_, mul_, div_, clamp_, fill_, zero_, copy_. They change the storage
 * and bump its version, so a backward pass that needs the old values throws (see
 * `checkVersions`) instead of computing a wrong gradient. They record nothing: on a tensor that
 * requires grad they are allowed only under `noGrad` (optimiser updates), as PyTorch refuses
 * them on leaves; on a non-leaf that is part of a graph they are refused too (use the
 * out-of-place op), a difference from PyTorch, which rewrites the graph.
 */
import { isGradEnabled } from '../../engine/modes';
import type { BinaryOp } from '../../backends/backend';
import { currentBackend, scalarArray } from '../backend-choice';
import { type TensorOperand } from '../define';
import { dataOf } from '../record';
import { broadcastShapes, broadcastStrides, formatShape, sameShape, stridesOf } from '../shape';
import { Tensor } from '../tensor';

/** Refuses an in-place change that would silently break gradients; bumps the version otherwise (after every check, so a refused call changes nothing). */
function beginInPlace(t: Tensor, op: string, checkShape?: () => void): void {
  if (!(t instanceof Tensor)) throw new TypeError(`${op}: expected to be called on a Tensor.`);
  if (t.requiresGrad && isGradEnabled()) {
    throw new Error(
      t.isLeaf
        ? `${op}: this leaf requires grad, and changing it in place would make the gradients computed from it wrong. ` +
            'Update parameters under noGrad(() => ...) as optimisers do, or use the out-of-place op.'
        : `${op}: this tensor is part of a graph (produced by '${t.op}'), and stopgrad does not differentiate in-place ops. ` +
            'Use the out-of-place op (x.add(y) instead of x.add_(y)).',
    );
  }
  if (checkShape !== undefined) checkShape();
  t._storage.version++;
}

function binaryInPlace(t: Tensor, op: BinaryOp, name: string, other: TensorOperand): Tensor {
  const otherShape = other instanceof Tensor ? other.shape : [];
  beginInPlace(t, name, () => {
    const shape = broadcastShapes(name.slice(0, -2), t.shape, otherShape);
    if (!sameShape(shape, t.shape))
      throw new RangeError(
        `${name}: the operand of shape ${formatShape(otherShape)} would broadcast this tensor of shape ${formatShape(t.shape)} to ${formatShape(shape)}; in place, the result must keep this tensor's shape.`,
      );
  });
  const data = dataOf(t);
  const b = other instanceof Tensor ? dataOf(other) : scalarArray(other, t.dtype, 1);
  currentBackend().binary(op, data, stridesOf(t.shape), b, broadcastStrides(otherShape, t.shape), t.shape, data);
  return t;
}

/** `t.add_(...)`. @internal */
export function add_(t: Tensor, other: TensorOperand): Tensor {
  return binaryInPlace(t, 'add', 'add_()', other);
}

/** `t.sub_(...)`. @internal */
export function sub_(t: Tensor, other: TensorOperand): Tensor {
  return binaryInPlace(t, 'sub', 'sub_()', other);
}

/** `t.mul_(...)`. @internal */
export function mul_(t: Tensor, other: TensorOperand): Tensor {
  return binaryInPlace(t, 'mul', 'mul_()', other);
}

/** `t.div_(...)`. @internal */
export function div_(t: Tensor, other: TensorOperand): Tensor {
  return binaryInPlace(t, 'div', 'div_()', other);
}

/** `t.clamp_(...)`. @internal */
export function clamp_(t: Tensor, min: number, max: number): Tensor {
  beginInPlace(t, 'clamp_()');
  currentBackend().clamp(dataOf(t), min, max, dataOf(t));
  return t;
}

/** `t.fill_(...)`. @internal */
export function fill_(t: Tensor, value: number): Tensor {
  beginInPlace(t, 'fill_()');
  dataOf(t).fill(value);
  return t;
}

/** `t.zero_()`. @internal */
export function zero_(t: Tensor): Tensor {
  beginInPlace(t, 'zero_()');
  dataOf(t).fill(0);
  return t;
}

/** `t.copy_(...)`. @internal */
export function copy_(t: Tensor, source: TensorOperand): Tensor {
  const shape = source instanceof Tensor ? source.shape : [];
  beginInPlace(t, 'copy_()', () => {
    const target = broadcastShapes('copy_', t.shape, shape);
    if (!sameShape(target, t.shape))
      throw new RangeError(
        `copy_(): a source of shape ${formatShape(shape)} cannot be broadcast to this tensor's shape ${formatShape(t.shape)}.`,
      );
  });
  const src = source instanceof Tensor ? dataOf(source) : scalarArray(source, t.dtype, 1);
  currentBackend().copyStrided(src, 0, broadcastStrides(shape, t.shape), t.shape, dataOf(t));
  return t;
}
