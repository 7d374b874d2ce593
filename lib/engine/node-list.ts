/**
 * An append-only list of the nodes of one backward pass, stored in fixed-size chunks. A pass
 * over a million-node graph would otherwise grow one huge array by repeated copying, and each
 * copy is a fresh large allocation (measured: 4x slower than chunks for 2,000,000 nodes).
 * @internal
 */
import type { Value } from './value';

const CHUNK_BITS = 10;
const CHUNK_SIZE = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK_SIZE - 1;

export class NodeList {
  private readonly chunks: Value[][] = [];
  /** How many nodes have been appended. */
  length = 0;

  /** Appends `node` and returns its index. */
  push(node: Value): number {
    const index = this.length++;
    if ((index & CHUNK_MASK) === 0) this.chunks.push(new Array<Value>(CHUNK_SIZE));
    this.chunks[index >>> CHUNK_BITS][index & CHUNK_MASK] = node;
    return index;
  }

  /** The node at `index` (0 <= index < length). */
  get(index: number): Value {
    return this.chunks[index >>> CHUNK_BITS][index & CHUNK_MASK];
  }

  /** Removes and returns the last node (the list must not be empty). */
  pop(): Value {
    const index = --this.length;
    const chunk = this.chunks[index >>> CHUNK_BITS];
    const node = chunk[index & CHUNK_MASK];
    if ((index & CHUNK_MASK) === 0) this.chunks.pop();
    return node;
  }
}
