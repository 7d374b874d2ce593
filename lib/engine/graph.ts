/**
 * The backward pass. It only schedules: an iterative depth-first search puts the nodes that
 * gradient can reach in topological order (every node after all of its parents), then each
 * node's rule runs once, in reverse order, so after all of its consumers. No recursion
 * anywhere: a graph may be as deep as the loop that built it.
 *
 * One schedule serves every pass and every node kind. Scalar gradients of a numeric pass live
 * in a Float64Array indexed by the node's position in the order (its slot), so nodes stay
 * small and no number is boxed; every other gradient (a Tensor, or any gradient of a
 * `createGraph` pass) is an object, combined with the `GradAlgebra` the caller hands in.
 * Nothing is written to any node: the caller reads the results through `PassResult` before
 * the slots are released, so a pass that throws (say, in a hook) changes no `.grad`.
 */
import { applyHooks } from './hooks';
import { anomalyError, isDetectingAnomalies, swapGradMode } from './modes';
import { type AnyHook, FLAG_BITS, type GraphNode, NO_SLOT, isScalarNode } from './node';
import { NodeList, setSlot, slotOf, sortTopologically } from './order';
import type { GradSink, GraphGradSink } from './record';

/** How gradient objects combine; handed to the pass by its caller (the pass knows no op). */
export interface GradAlgebra {
  /** The sum of two gradients of one node. */
  add(a: object, b: object): object;
  /** A tensor node's gradient built from scalar contributions to its elements (numbers, or Values under createGraph). */
  scatter(node: GraphNode, indices: readonly number[], grads: readonly (number | object)[]): object;
  /** A number as a gradient object of a scalar node (a constant Value). */
  scalar(x: number): object;
  /** The number a scalar gradient object holds. */
  numberOf(grad: object): number;
  /** Whether every element of `grad` is finite (for detectAnomaly). */
  allFinite(grad: number | object): boolean;
  /** Checks what a hook returned for `node` (right kind and shape) and returns it as a gradient, or throws. */
  hookResult(node: GraphNode, returned: unknown): number | object;
}

/** What a finished pass gives its caller, while the pass's slots are still assigned. */
export interface PassResult {
  /** The nodes gradient reached, in topological order (`root` last). */
  readonly length: number;
  node(index: number): GraphNode;
  /** The gradient of the node at `index`: a number (scalar node, numeric pass), an object, or null where none arrived. */
  gradAt(index: number): number | object | null;
  /** Scalar gradients of a numeric pass by index (empty under createGraph). */
  readonly numbers: Float64Array;
  /** Gradient objects by index (null where a node's gradient is a number or none arrived), or null if there are none. */
  readonly objects: readonly (object | null)[] | null;
  /** Whether the pass reached `node`. */
  reached(node: GraphNode): boolean;
  /** The gradient of `node` (as `gradAt`), or undefined if the pass did not reach it. */
  gradOf(node: GraphNode): number | object | null | undefined;
}

/**
 * Runs a backward pass from `root` seeded with `seed` (a number for a scalar root in a numeric
 * pass, otherwise a gradient object), then calls `finish` with the result. With `createGraph`
 * every gradient is an object computed with recording on; otherwise recording is off while
 * rules run. Slots are released even if anything throws.
 */
export function runPass<T>(
  root: GraphNode,
  seed: number | object,
  createGraph: boolean,
  algebra: GradAlgebra,
  finish: (result: PassResult) => T,
): T {
  const order = new NodeList();
  // A pass started while another is under way (from a hook) must check every node it meets
  // for the other pass's marks; a lone pass need not.
  const nested = passesUnderWay > 0;
  passesUnderWay++;
  // A createGraph pass records (its rules build graphs); a numeric pass turns recording off
  // only around the rules it runs with ops, so hooks see the caller's mode.
  const previousMode = createGraph ? swapGradMode(true) : null;
  try {
    sortTopologically(root, order, nested);
    const pass = new Pass(order, createGraph, algebra, isDetectingAnomalies());
    pass.seed(seed);
    pass.propagate();
    // A createGraph pass finishes with recording on (accumulating gradients that carry graphs).
    return finish(pass);
  } finally {
    if (previousMode !== null) swapGradMode(previousMode);
    passesUnderWay--;
    for (let i = 0; i < order.length; i++) setSlot(order.get(i), NO_SLOT);
  }
}

/** How many passes are under way; more than one only when a hook starts a pass. */
let passesUnderWay = 0;

/**
 * The sink of the scalar fast path outside detectAnomaly: numbers straight into the pass's
 * Float64Array, with no type test (a rule on numbers only ever sends numbers).
 */
class NumberSink implements GradSink {
  grad = 0;

  constructor(
    private readonly numbers: Float64Array,
    private readonly pass: Pass,
  ) {}

  add(parent: GraphNode, grad: number): void {
    const slot = parent._state >> FLAG_BITS;
    if (slot >= 0) this.numbers[slot] += grad;
  }

  addAt(parent: GraphNode, index: number, grad: number): void {
    this.pass.addAt(parent, index, grad);
  }
}

/** The gradients of one pass, indexed by slot, and the sinks rules send gradients to. */
class Pass implements PassResult, GradSink, GraphGradSink {
  /** Scalar gradients of a numeric pass. */
  readonly numbers: Float64Array;
  /** Gradient objects, allocated on first use. */
  objects: (object | null)[] | null = null;
  /** Scalar contributions to tensor elements, gathered until the tensor's turn: [indices, grads] per slot. */
  pending: Map<number, [number[], (number | object)[]]> | null = null;
  /** The gradient arriving at the node whose rule runs now (numeric scalar rules read it). */
  grad = 0;
  /** That node and its gradient object, tracked only under `detectAnomaly`. */
  current: GraphNode | null = null;
  incoming: number | object = 0;

  constructor(
    readonly order: NodeList,
    readonly createGraph: boolean,
    readonly algebra: GradAlgebra,
    readonly checking: boolean,
  ) {
    this.numbers = new Float64Array(createGraph ? 0 : order.length);
  }

  get length(): number {
    return this.order.length;
  }

  node(index: number): GraphNode {
    return this.order.get(index);
  }

  gradAt(index: number): number | object | null {
    const object = this.objects === null ? null : this.objects[index];
    if (object !== null || this.createGraph) return object;
    return isScalarNode(this.order.get(index)) ? this.numbers[index] : null;
  }

  reached(node: GraphNode): boolean {
    const slot = slotOf(node);
    return slot >= 0 && slot < this.order.length && this.order.get(slot) === node;
  }

  gradOf(node: GraphNode): number | object | null | undefined {
    return this.reached(node) ? this.gradAt(slotOf(node)) : undefined;
  }

  seed(seed: number | object): void {
    const last = this.order.length - 1;
    if (typeof seed === 'number') this.numbers[last] = seed;
    else this.objectsArray()[last] = seed;
  }

  /** Runs every node's rule in reverse topological order. */
  propagate(): void {
    const order = this.order;
    const numbers = this.numbers;
    const numeric = !this.createGraph;
    const sink = this.checking ? this : new NumberSink(numbers, this);
    for (let i = order.length - 1; i >= 0; i--) {
      const node = order.get(i);
      const rule = node._rule;
      if (numeric && rule !== null && rule.backward !== undefined) {
        // The scalar fast path: plain numbers, one shared sink, nothing allocated.
        let grad = numbers[i];
        if (node._extras !== null && node._extras.hooks !== null)
          grad = numbers[i] = this.runHooks(node, node._extras.hooks, grad) as number;
        sink.grad = grad;
        if (this.checking) {
          this.current = node;
          this.incoming = grad;
        }
        rule.backward(node, sink);
      } else if (rule !== null || (node._extras !== null && node._extras.hooks !== null) || this.pending !== null) {
        this.objectStep(i, node);
      }
    }
  }

  /** A node whose gradient is an object (a tensor, or any node under createGraph), or a scalar leaf with hooks. */
  private objectStep(i: number, node: GraphNode): void {
    if (this.pending !== null && this.pending.has(i)) {
      const [indices, grads] = this.pending.get(i)!;
      this.pending.delete(i);
      this.accumulate(i, this.algebra.scatter(node, indices, grads));
    }
    const scalarNumber = !this.createGraph && isScalarNode(node);
    let grad: number | object | null = scalarNumber ? this.numbers[i] : this.objects === null ? null : this.objects[i];
    if (grad === null) return;
    const hooks = node._extras === null ? null : node._extras.hooks;
    if (hooks !== null) {
      grad = this.runHooks(node, hooks, grad);
      if (scalarNumber) this.numbers[i] = grad as number;
      else this.objects![i] = grad as object;
    }
    const rule = node._rule;
    if (rule === null) return;
    if (rule.backwardGraph === undefined) {
      throw new Error(
        `createGraph: the op '${rule.name}' has no backward rule written with ops, so its gradient cannot be differentiated again. ` +
          'Use first-order backward() for it, or give a customOp a backward written with ops.',
      );
    }
    const gradObject = typeof grad === 'number' ? this.algebra.scalar(grad) : grad;
    if (this.checking) {
      this.current = node;
      this.incoming = grad;
    }
    if (this.createGraph) {
      rule.backwardGraph(node, gradObject, this);
      return;
    }
    const previous = swapGradMode(false);
    try {
      rule.backwardGraph(node, gradObject, this);
    } finally {
      swapGradMode(previous);
    }
  }

  /** GradSink.add: a number for a scalar parent in a numeric pass; GraphGradSink.add: an object. */
  add(parent: GraphNode, grad: number | object): void {
    const slot = slotOf(parent);
    if (slot < 0) return;
    if (typeof grad === 'number') {
      if (this.checking) return this.addChecked(parent, slot, grad);
      this.numbers[slot] += grad;
      return;
    }
    if (this.checking) this.check(parent, grad);
    if (!this.createGraph && isScalarNode(parent)) this.numbers[slot] += this.algebra.numberOf(grad);
    else this.accumulate(slot, grad);
  }

  addAt(parent: GraphNode, index: number, grad: number | object): void {
    const slot = slotOf(parent);
    if (slot < 0) return;
    if (this.checking) this.check(parent, grad);
    if (this.pending === null) this.pending = new Map();
    let entry = this.pending.get(slot);
    if (entry === undefined) this.pending.set(slot, (entry = [[], []]));
    entry[0].push(index);
    entry[1].push(grad);
  }

  private accumulate(slot: number, grad: object): void {
    const objects = this.objectsArray();
    const previous = objects[slot];
    objects[slot] = previous === null ? grad : this.algebra.add(previous, grad);
  }

  private objectsArray(): (object | null)[] {
    if (this.objects === null) this.objects = new Array<object | null>(this.order.length).fill(null);
    return this.objects;
  }

  private runHooks(node: GraphNode, hooks: readonly AnyHook[], grad: number | object): number | object {
    return applyHooks(node, hooks, grad, this.algebra, this.createGraph, this.checking);
  }

  /** `add` of a number under detectAnomaly: a non-finite gradient from a finite one, or an overflowing sum, throws. */
  private addChecked(parent: GraphNode, slot: number, grad: number): void {
    this.check(parent, grad);
    const before = this.numbers[slot];
    const sum = (this.numbers[slot] = before + grad);
    // Two finite gradients whose sum overflows (1e308 + 1e308) are an anomaly too.
    if (!Number.isFinite(sum) && Number.isFinite(before) && Number.isFinite(grad))
      throw anomalyError(this.current!, parent, sum, true);
  }

  private check(parent: GraphNode, grad: number | object): void {
    if (!this.algebra.allFinite(grad) && this.algebra.allFinite(this.incoming))
      throw anomalyError(this.current!, parent, grad);
  }
}
