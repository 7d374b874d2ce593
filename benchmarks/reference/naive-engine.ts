/**
 * A naive micrograd-style engine, ported line for line from karpathy/micrograd's engine.py for
 * the benchmark (a reference, not part of stopgrad): a closure per node, a Set of children per
 * node, and a recursive topological sort with a Set of visited nodes. `backwardIterative` sorts
 * the same graph with an explicit stack, for graphs too deep for recursion.
 */
export class NaiveValue {
  data: number;
  grad = 0;
  _backward: () => void = () => {};
  _prev: Set<NaiveValue>;
  _op: string;

  constructor(data: number, children: NaiveValue[] = [], op = '') {
    this.data = data;
    this._prev = new Set(children);
    this._op = op;
  }

  add(other: NaiveValue | number): NaiveValue {
    const o = other instanceof NaiveValue ? other : new NaiveValue(other);
    const out = new NaiveValue(this.data + o.data, [this, o], '+');
    out._backward = () => {
      this.grad += out.grad;
      o.grad += out.grad;
    };
    return out;
  }

  mul(other: NaiveValue | number): NaiveValue {
    const o = other instanceof NaiveValue ? other : new NaiveValue(other);
    const out = new NaiveValue(this.data * o.data, [this, o], '*');
    out._backward = () => {
      this.grad += o.data * out.grad;
      o.grad += this.data * out.grad;
    };
    return out;
  }

  pow(exponent: number): NaiveValue {
    const out = new NaiveValue(this.data ** exponent, [this], `**${exponent}`);
    out._backward = () => {
      this.grad += exponent * this.data ** (exponent - 1) * out.grad;
    };
    return out;
  }

  relu(): NaiveValue {
    const out = new NaiveValue(this.data < 0 ? 0 : this.data, [this], 'ReLU');
    out._backward = () => {
      this.grad += (out.data > 0 ? 1 : 0) * out.grad;
    };
    return out;
  }

  neg(): NaiveValue {
    return this.mul(-1);
  }

  sub(other: NaiveValue | number): NaiveValue {
    return this.add(other instanceof NaiveValue ? other.neg() : -other);
  }

  /** micrograd's backward: recursive build_topo with a visited Set. Overflows the stack on deep graphs. */
  backward(): void {
    const topo: NaiveValue[] = [];
    const visited = new Set<NaiveValue>();
    const buildTopo = (v: NaiveValue) => {
      if (!visited.has(v)) {
        visited.add(v);
        for (const child of v._prev) buildTopo(child);
        topo.push(v);
      }
    };
    buildTopo(this);
    this.grad = 1;
    for (let i = topo.length - 1; i >= 0; i--) topo[i]._backward();
  }

  /** The same pass with the topological sort done by an explicit stack (no recursion). */
  backwardIterative(): void {
    const topo: NaiveValue[] = [];
    const visited = new Set<NaiveValue>();
    const stack: [NaiveValue, boolean][] = [[this, false]];
    while (stack.length > 0) {
      const [v, expanded] = stack.pop()!;
      if (expanded) {
        topo.push(v);
      } else if (!visited.has(v)) {
        visited.add(v);
        stack.push([v, true]);
        for (const child of v._prev) if (!visited.has(child)) stack.push([child, false]);
      }
    }
    this.grad = 1;
    for (let i = topo.length - 1; i >= 0; i--) topo[i]._backward();
  }
}

/** Every node reachable from `root` (iteratively), for counting graph sizes. */
export function naiveGraphSize(root: NaiveValue): number {
  const seen = new Set<NaiveValue>([root]);
  const stack = [root];
  while (stack.length > 0) {
    for (const child of stack.pop()!._prev) {
      if (!seen.has(child)) {
        seen.add(child);
        stack.push(child);
      }
    }
  }
  return seen.size;
}
