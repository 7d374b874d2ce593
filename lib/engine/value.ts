/**
 * The Value node: a number, its accumulated gradient, and (when it was produced by an op that
 * was recorded) pointers to its parents and the op's backward rule. The graph is nothing but
 * these nodes, so mutating a node with `detach_()` cuts every graph that passes through it.
 *
 * Layout note (speed is mostly V8's young-generation GC copying live graphs, so bytes and
 * objects per node are what count): every node has the same seven fields, declared as class
 * fields so V8 gives all nodes one hidden class with tagged fields; the rarely used ones (label,
 * hooks) live in a side object that most nodes never allocate, flags and the pass slot share
 * one small integer, and a second operand shares its field with an n-ary operand list. A node
 * is one 80-byte object, plus a 16-byte heap number for a non-integer `data` and, once a
 * backward pass reaches it, for its `grad`. (Measured on a 1M-link chain: 192 bytes per link;
 * each field less made building it 7-11% faster, and giving `grad` a double box up front
 * made it 15% slower.)
 */
import { VALUE_BRAND, VALUE_BRAND_KEY, describeForError } from './errors';
import { FLAG_BITS, FLAG_MASK, Flag, NO_SLOT } from './node';
import { type GradHook, type NodeExtras, addHook, cutInPlace, extrasOf, setLeafRequiresGrad } from './node';
import { describeValue } from './format';
import { type ValueOptions, applyOptions } from './value-options';
import type { BackwardRule } from './record';

/** The operands of an n-ary op: parent Values and numeric constants, in order. @internal */
export type Operands = readonly (Value | number)[];

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * A scalar node of a define-by-run graph. `new Value(x)` is a leaf that requires grad; ops on
 * Values return new Values that remember how they were made, so `backward()` can fill `.grad`.
 *
 * @example
 * const x = new Value(3, { label: 'x' });
 * const y = x.mul(x);        // Value(data=9, grad=0)
 * y.backward();
 * x.grad;                    // 6
 */
export class Value {
  /** @internal Marks Values of this copy of stopgrad, so that error messages can tell a Value from a second copy's. */
  static readonly [VALUE_BRAND_KEY] = VALUE_BRAND;

  /** The number this node holds. */
  data: number;
  /** d(output)/d(this), summed over every `backward()` call since the last `zeroGrad()`. */
  grad: number;
  /** @internal First parent, or null. */
  _a: Value | null;
  /**
   * @internal The operands after the first: a binary op's second operand (a parent Value or a
   * numeric constant, the 2 in `x.mul(2)`), or all operands of an n-ary op (sum, dot, custom
   * ops), or null. One field for both keeps every node smaller; read it through `_b`/`_args`.
   */
  _rest: Value | number | Operands | null;
  /** @internal The op's backward rule; null for a leaf. */
  _rule: BackwardRule | null;
  /**
   * @internal `_flags` in the low bits and `_slot` above them, packed into one small integer
   * (one field less per node: 7% faster graph building, measured). Use the accessors below.
   */
  _state: number;
  /** @internal Label and hooks, allocated on first use. */
  _extras: NodeExtras | null;

  /**
   * Creates a leaf holding `data`. It requires grad unless `options.requiresGrad` is false.
   *
   * @example
   * new Value(2);                              // a parameter-like leaf
   * new Value(2, { requiresGrad: false });     // a constant
   * new Value(2, { label: 'w' }).label;        // 'w'
   */
  constructor(data: number, options?: ValueOptions) {
    if (typeof data !== 'number') {
      throw new TypeError(
        `new Value(data): expected a number, got ${describeForError(data)}. ` +
          `Convert it first, e.g. new Value(Number(s)).`,
      );
    }
    this.data = data;
    this.grad = 0;
    this._a = null;
    this._rest = null;
    this._rule = null;
    this._state = (NO_SLOT << FLAG_BITS) | Flag.RequiresGrad;
    this._extras = null;
    if (options !== undefined) applyOptions(this, options);
  }

  /** @internal A binary op's second operand (a parent Value or a numeric constant), or null. */
  get _b(): Value | number | null {
    return this._rest as Value | number | null;
  }

  /** @internal All operands of an n-ary op, or null. */
  get _args(): Operands | null {
    return Array.isArray(this._rest) ? (this._rest as Operands) : null;
  }

  /** @internal Bit set of `Flag`: why gradient does or does not flow through this node. */
  get _flags(): number {
    return this._state & FLAG_MASK;
  }

  /** @internal */
  set _flags(flags: number) {
    this._state = (this._state & ~FLAG_MASK) | flags;
  }

  /** @internal Index of this node in the backward pass under way, or a negative marker outside any pass. */
  get _slot(): number {
    return this._state >> FLAG_BITS;
  }

  /** @internal */
  set _slot(slot: number) {
    this._state = (slot << FLAG_BITS) | (this._state & FLAG_MASK);
  }

  /** Whether gradients flow into this node. Change it on a leaf with `requiresGrad_()`. */
  get requiresGrad(): boolean {
    return (this._flags & Flag.RequiresGrad) !== 0;
  }

  /** True for a node that no recorded op produced: an input, a constant, or a detached node. */
  get isLeaf(): boolean {
    return this._rule === null;
  }

  /** The name of the op that produced this node, or '' for a leaf. */
  get op(): string {
    return this._rule === null ? '' : this._rule.name;
  }

  /**
   * The Values this node was computed from (numeric constants are not listed). Empty for a
   * leaf, including a node cut by `detach_()`.
   */
  get parents(): readonly Value[] {
    if (this._args !== null) return this._args.filter((arg): arg is Value => typeof arg !== 'number');
    const parents: Value[] = [];
    if (this._a !== null) parents.push(this._a);
    const b = this._b;
    if (b !== null && typeof b !== 'number') parents.push(b);
    return parents;
  }

  /** A name for printing and drawing; '' by default. */
  get label(): string {
    return this._extras === null ? '' : this._extras.label;
  }

  set label(label: string) {
    if (typeof label !== 'string') {
      throw new TypeError(`Value.label: expected a string, got ${describeForError(label)}.`);
    }
    extrasOf(this).label = label;
  }

  /**
   * Returns a new leaf with the same data that needs no grad: the out-of-place stop-gradient.
   * This node and its graph are left untouched.
   *
   * @example
   * const x = new Value(2);
   * x.mul(x.detach()).backward();
   * x.grad;                    // 2 (= x.detach().data; 4 without the detach)
   */
  detach(): Value {
    const copy = new Value(this.data, CONSTANT);
    copy._flags = Flag.StoppedGradient;
    return copy;
  }

  /**
   * Detaches this node in place: drops its parents and backward rule and makes it a leaf that
   * needs no grad. Every graph through it is cut here, including consumers built before the
   * call (unlike PyTorch, where those keep the old graph). Returns `this`.
   *
   * @example
   * const h = new Value(1).mul(2);
   * h.detach_();
   * [h.isLeaf, h.requiresGrad];   // [true, false]
   */
  detach_(): this {
    cutInPlace(this, 'Value');
    return this;
  }

  /**
   * Freezes (`false`) or unfreezes (`true`, the default) a leaf. A frozen leaf receives no
   * gradient and ops on it record nothing. Throws on a non-leaf: detach it first.
   *
   * @example
   * const w = new Value(0.5).requiresGrad_(false);
   * w.mul(2).requiresGrad;        // false
   */
  requiresGrad_(flag: boolean = true): this {
    setLeafRequiresGrad(this, flag, 'Value');
    return this;
  }

  /**
   * Resets this node's `.grad` to 0 (gradients accumulate across `backward()` calls until then).
   *
   * @example
   * const x = new Value(3);
   * x.mul(2).backward(); x.zeroGrad(); x.grad;   // 0
   */
  zeroGrad(): void {
    this.grad = 0;
    if (this._extras !== null) this._extras.gradValue = null;
  }

  /**
   * The gradient as a Value that carries its own graph, or null. Set by
   * `backward(g, { createGraph: true })`, which fills it beside `.grad` (always
   * `gradValue.data === grad`), so the gradient can itself be differentiated. Cleared by
   * `zeroGrad()`.
   *
   * @example
   * const x = new Value(3);
   * x.pow(3).backward(1, { createGraph: true });
   * x.grad;                    // 27 (= 3x^2)
   * x.gradValue!.backward();   // differentiate the gradient: x.grad += 6x = 18
   */
  get gradValue(): Value | null {
    return this._extras === null ? null : (this._extras.gradValue as Value | null);
  }

  /**
   * Registers `hook`, called in every backward pass with the gradient arriving at this node,
   * before it is added to `.grad` and passed on to the parents. If the hook returns a number,
   * that number replaces the gradient. Returns a function that removes the hook.
   *
   * @example
   * const x = new Value(3);
   * const remove = x.registerHook(g => -g);     // gradient reversal
   * x.mul(2).backward();
   * x.grad;                                     // -2
   * remove();
   */
  registerHook(hook: GradHook): () => void {
    return addHook(this, hook, 'Value');
  }

  /** A short description: `Value(data=9, grad=3)`. */
  toString(): string {
    return describeValue(this.data, this.grad, this.label, this.requiresGrad);
  }

  /** `{ data, grad }`, so `JSON.stringify` never walks the graph. */
  toJSON(): { data: number; grad: number } {
    return { data: this.data, grad: this.grad };
  }

  /** Short printing in `console.log`, `util.inspect` and the REPL. */
  [INSPECT](): string {
    return this.toString();
  }
}

const CONSTANT: ValueOptions = { requiresGrad: false };
