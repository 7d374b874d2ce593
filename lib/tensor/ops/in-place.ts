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
import { currentBackend } from '../backend-choice';
import { type TensorOperand, defineMethods } from '../define';
import { dataOf } from '../record';
import { broadcastShapes, broadcastStrides, formatShape, sameShape, stridesOf } from '../shape';
import { Tensor } from '../tensor';

declare module '../tensor' {
  interface Tensor {
    /** this += other (broadcast to this shape), in place. @example zeros([2]).add_(1).toArray()   // [1, 1] */
    add_(other: TensorOperand): Tensor;
    /** this -= other, in place. */
    sub_(other: TensorOperand): Tensor;
    /** this *= other, in place. */
    mul_(other: TensorOperand): Tensor;
    /** this /= other, in place. */
    div_(other: TensorOperand): Tensor;
    /** Limits every element to [min, max], in place. */
    clamp_(min: number, max: number): Tensor;
    /** Sets every element to `value`, in place. */
    fill_(value: number): Tensor;
    /** Sets every element to 0, in place. */
    zero_(): Tensor;
    /** Copies `source` (broadcast to this shape) into this tensor, in place. */
    copy_(source: TensorOperand): Tensor;
  }
}

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
    if (!sameShape(shape, t.shape)) throw new RangeError(`${name}: the operand of shape ${formatShape(otherShape)} would broadcast this tensor of shape ${formatShape(t.shape)} to ${formatShape(shape)}; in place, the result must keep this tensor's shape.`);
  });
  const data = dataOf(t);
  const b = other instanceof Tensor ? dataOf(other) : Float64Array.of(other);
  currentBackend().binary(op, data, stridesOf(t.shape), b as Float64Array, broadcastStrides(otherShape, t.shape), t.shape, data);
  return t;
}

defineMethods({
  add_(other) { return binaryInPlace(this, 'add', 'add_()', other); },
  sub_(other) { return binaryInPlace(this, 'sub', 'sub_()', other); },
  mul_(other) { return binaryInPlace(this, 'mul', 'mul_()', other); },
  div_(other) { return binaryInPlace(this, 'div', 'div_()', other); },
  clamp_(min, max) {
    beginInPlace(this, 'clamp_()');
    currentBackend().clamp(dataOf(this), min, max, dataOf(this));
    return this;
  },
  fill_(value) {
    beginInPlace(this, 'fill_()');
    dataOf(this).fill(value);
    return this;
  },
  zero_() {
    beginInPlace(this, 'zero_()');
    dataOf(this).fill(0);
    return this;
  },
  copy_(source) {
    const shape = source instanceof Tensor ? source.shape : [];
    beginInPlace(this, 'copy_()', () => {
      const target = broadcastShapes('copy_', this.shape, shape);
      if (!sameShape(target, this.shape)) throw new RangeError(`copy_(): a source of shape ${formatShape(shape)} cannot be broadcast to this tensor's shape ${formatShape(this.shape)}.`);
    });
    const src = source instanceof Tensor ? dataOf(source) : Float64Array.of(source);
    currentBackend().copyStrided(src, 0, broadcastStrides(shape, this.shape), this.shape, dataOf(this));
    return this;
  },
});
