/**
 * What every Tensor is, before its ops: an n-d array in contiguous row-major storage, on the
 * same graph core as `Value` (the same five graph fields, the same backward pass, grad mode
 * and hooks), with its properties, stop-gradient controls, gradient bookkeeping and printing.
 * `Tensor` (tensor.ts) adds the op methods.
 */
import { describeForError } from '../engine/errors';
import {
  FLAG_BITS,
  Flag,
  type GraphNode,
  NO_SLOT,
  type NodeExtras,
  type Operands,
  addHook,
  cutInPlace,
  extrasOf,
  setLeafRequiresGrad,
} from '../engine/node';
import type { BackwardRule } from '../engine/record';
import type { DType, Storage, TypedArray } from '../backends/backend';
import { formatTensor } from './format';
import { accumulateGrad, clearGrad } from './grad-slot';
import type { Tensor } from './tensor';
import { type Shape, formatShape, sameShape, sizeOf } from './shape';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** A gradient hook on a Tensor: sees the gradient arriving at its node; a returned Tensor of the same shape replaces it. */
export type TensorHook = (grad: Tensor) => Tensor | void;

/** The part of `Tensor` that is not ops (see tensor.ts); use `Tensor`. */
export class TensorBase implements GraphNode {
  /** @internal */ _a: GraphNode | null = null;
  /** @internal */ _rest: GraphNode | number | Operands | null = null;
  /** @internal */ _rule: BackwardRule | null = null;
  /** @internal */ _state: number;
  /** @internal */ _extras: NodeExtras | null = null;
  /** The size of each dimension; [] for a scalar (0-d) tensor. */
  readonly shape: Shape;
  /** @internal The elements (shared by `detach()`ed copies). */
  readonly _storage: Storage;
  /** @internal The accumulated gradient. */
  _grad: Tensor | null = null;
  /** @internal Whether `_grad` is private to this slot (see grad-slot.ts). */
  _gradPrivate = false;
  /** @internal Storage versions of the operands (and of this node, last) when the op ran, for rules that read them. */
  _versions: number[] | null = null;
  /** @internal What the op kept for its backward rule (axes, indices, window sizes). */
  _ctx: unknown = null;

  /** @internal Use `tensor()`, `zeros()` and the other creation functions. */
  constructor(storage: Storage, shape: Shape, requiresGrad = false) {
    this._storage = storage;
    this.shape = shape;
    this._state = (NO_SLOT << FLAG_BITS) | (requiresGrad ? Flag.RequiresGrad : 0);
  }

  /** The number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }

  /** The number of elements. */
  get size(): number {
    return sizeOf(this.shape);
  }

  /** 'float32' (the default) or 'float64'. */
  get dtype(): DType {
    return this._storage.dtype;
  }

  /**
   * The elements, row-major, as a typed array shared with the tensor (not a copy): writing to
   * it changes the tensor. On wasm, reading `.data` moves the elements out of wasm memory into
   * an ordinary typed array, so the array stays valid whatever runs later; an op that reads
   * the tensor copies them back when wasm memory has room, and from then on the array is a
   * snapshot (re-read `.data` after ops to see or change the tensor again).
   */
  get data(): TypedArray {
    const storage = this._storage;
    return storage.stableView !== undefined ? storage.stableView() : storage.view();
  }

  /** @internal The live view for the library's own kernels and loops (on wasm: valid until the next allocation). */
  get _data(): TypedArray {
    return this._storage.view();
  }

  /** The accumulated gradient (a Tensor of this shape), or null until a backward pass reaches this leaf. */
  get grad(): Tensor | null {
    this._gradPrivate = false;
    return this._grad;
  }

  set grad(grad: Tensor | null) {
    if (grad !== null && !(grad instanceof TensorBase && sameShape(grad.shape, this.shape))) {
      throw new TypeError(
        `Tensor.grad: expected null or a Tensor of shape ${formatShape(this.shape)}, got ${grad instanceof TensorBase ? `shape ${formatShape(grad.shape)}` : describeForError(grad)}.`,
      );
    }
    this._grad = grad;
    this._gradPrivate = false;
  }

  /** Whether gradients flow into this tensor. */
  get requiresGrad(): boolean {
    return (this._state & Flag.RequiresGrad) !== 0;
  }

  /** True for a tensor no recorded op produced. */
  get isLeaf(): boolean {
    return this._rule === null;
  }

  /** The name of the op that produced this tensor ('' for a leaf), like PyTorch's `grad_fn`. */
  get op(): string {
    return this._rule === null ? '' : this._rule.name;
  }

  /** The nodes (Tensors or Values) this tensor was computed from; empty for a leaf. */
  get parents(): readonly GraphNode[] {
    if (this._rule === null) return [];
    const parents: GraphNode[] = [];
    if (this._a !== null) parents.push(this._a);
    const rest = this._rest;
    if (Array.isArray(rest)) {
      for (const r of rest as Operands) if (typeof r !== 'number') parents.push(r);
    } else if (rest !== null && typeof rest !== 'number') parents.push(rest as GraphNode);
    return parents;
  }

  /** A name for printing and drawing; '' by default. */
  get label(): string {
    return this._extras === null ? '' : this._extras.label;
  }

  set label(label: string) {
    if (typeof label !== 'string')
      throw new TypeError(`Tensor.label: expected a string, got ${describeForError(label)}.`);
    extrasOf(this).label = label;
  }

  /**
   * The single element of a one-element tensor, as a number.
   * @example tensor([[7]]).item()   // 7
   */
  item(): number {
    if (this.size !== 1)
      throw new RangeError(
        `item(): only a one-element tensor has an item, this one has shape ${formatShape(this.shape)}. Index or reduce it first.`,
      );
    return this._data[0];
  }

  /**
   * The elements as nested arrays (a number for a 0-d tensor).
   * @example tensor([[1, 2], [3, 4]]).toArray()   // [[1, 2], [3, 4]]
   */
  toArray(): number | NestedArray {
    const data = this._data;
    if (this.shape.length === 0) return data[0];
    let offset = 0;
    const build = (dim: number): NestedArray => {
      const out: NestedArray = [];
      for (let i = 0; i < this.shape[dim]; i++)
        out.push(dim === this.shape.length - 1 ? data[offset++] : build(dim + 1));
      return out;
    };
    return build(0);
  }

  /**
   * A new leaf sharing this tensor's storage that needs no grad: the out-of-place
   * stop-gradient (as PyTorch: in-place changes to either show in both).
   * @example
   * const x = tensor([2], { requiresGrad: true });
   * x.mul(x.detach()).sum().backward();
   * x.grad!.toArray();          // [2]
   */
  detach(): Tensor {
    const copy = new (this.constructor as new (storage: Storage, shape: Shape) => Tensor)(this._storage, this.shape);
    copy._state = (NO_SLOT << FLAG_BITS) | Flag.StoppedGradient;
    return copy;
  }

  /**
   * Detaches this tensor in place: drops its parents and rule, so every graph through it is
   * cut here, including consumers built before the call (unlike PyTorch). Returns `this`.
   * @example
   * const x = tensor([3], { requiresGrad: true });
   * const y = x.mul(x);
   * y.detach_();
   * y.mul(x).sum().backward();
   * x.grad!.toArray();          // [9] (27 without the detach_)
   */
  detach_(): this {
    cutInPlace(this, 'Tensor');
    this._versions = null;
    this._ctx = null;
    return this;
  }

  /**
   * Freezes (`false`) or unfreezes (`true`, the default) a leaf. Throws on a non-leaf.
   * @example tensor([1]).requiresGrad_().requiresGrad   // true
   */
  requiresGrad_(flag: boolean = true): this {
    setLeafRequiresGrad(this, flag, 'Tensor');
    return this;
  }

  /**
   * Keeps `.grad` on this non-leaf in later backward passes (leaves always keep theirs).
   * @example
   * const x = tensor([1, 2], { requiresGrad: true });
   * const y = x.mul(3).retainGrad();
   * y.sum().backward();
   * y.grad!.toArray();          // [1, 1]
   */
  retainGrad(): this {
    if (!this.requiresGrad)
      throw new Error('retainGrad(): this Tensor does not require grad, so no gradient will reach it.');
    extrasOf(this).retainsGrad = true;
    return this;
  }

  /**
   * Sets `.grad` back to null (gradients accumulate across `backward()` calls until then).
   * @example
   * const x = tensor([1], { requiresGrad: true });
   * x.mul(2).sum().backward(); x.zeroGrad(); x.grad;   // null
   */
  zeroGrad(): void {
    clearGrad(this);
  }

  /**
   * Registers `hook`, called in every backward pass with the gradient arriving at this tensor;
   * a returned Tensor of the same shape replaces it. Returns a function that removes the hook.
   * @example
   * const x = tensor([1, 2], { requiresGrad: true });
   * x.registerHook((g) => g.mul(-1));
   * x.mul(2).sum().backward();
   * x.grad!.toArray();          // [-2, -2]
   */
  registerHook(hook: TensorHook): () => void {
    return addHook(this, hook, 'Tensor');
  }

  /**
   * @internal Adds a gradient at the end of a pass: kept on leaves and on tensors that retain
   * grad. `exclusive`: no user code saw the pass's gradients (see grad-slot.ts).
   */
  _accumulateGrad(grad: Tensor, exclusive = false): void {
    if (this._rule !== null && (this._extras === null || !this._extras.retainsGrad)) return;
    accumulateGrad(this, grad, exclusive);
  }

  /** @internal Whether every element is finite. */
  _allFinite(): boolean {
    const data = this._data;
    for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) return false;
    return true;
  }

  /** @internal Checks a hook's replacement gradient. */
  _checkHookResult(returned: unknown): Tensor {
    if (!(returned instanceof TensorBase) || !sameShape(returned.shape, this.shape)) {
      throw new TypeError(
        `gradient hook: a Tensor hook must return nothing or a Tensor of shape ${formatShape(this.shape)}, but returned ` +
          `${returned instanceof TensorBase ? `shape ${formatShape(returned.shape)}` : describeForError(returned)}. No .grad was changed.`,
      );
    }
    return returned as Tensor;
  }

  /** A short description like PyTorch's: values (elided when large), shape, and the op. */
  toString(): string {
    return formatTensor(this as unknown as Tensor);
  }

  /** Short printing in `console.log`, `util.inspect` and the REPL. */
  [INSPECT](): string {
    return this.toString();
  }
}

/** Nested arrays of numbers, as `toArray()` returns them. */
export type NestedArray = (number | NestedArray)[];
