/**
 * A size-class allocator over a WebAssembly linear memory. Blocks are 16-byte aligned (v128);
 * a request is rounded up to its class (multiples of 16 up to 256 bytes, then four classes per
 * power of two, so at most 25% is wasted), freed blocks go on their class's free list, and new
 * blocks come from a bump pointer that grows the memory when it reaches the end. Blocks are
 * never split or merged: a workload that repeats its shapes (a training loop) reuses the same
 * blocks every step, so the memory's size stops at the peak of one step.
 * @internal
 */
import type { WasmMemory } from './module';

export class WasmAllocator {
  /** Free blocks by class size in bytes. */
  private readonly free = new Map<number, number[]>();
  private top: number;
  /** Bytes in blocks handed out and not yet freed (class sizes). */
  liveBytes = 0;

  /**
   * @param memory the module's memory (grown on demand)
   * @param base first byte the allocator may use (the module's heap base)
   * @example
   * const heap = new WasmAllocator(instantiateKernels().exports.memory, 1024);
   * const p = heap.alloc(100); // 112 bytes, 16-byte aligned
   * heap.release(p, 100);
   */
  constructor(
    private readonly memory: WasmMemory,
    base: number,
  ) {
    this.top = align16(base);
  }

  /** The class a request of `bytes` is rounded up to. */
  static classSize(bytes: number): number {
    if (bytes <= 256) return Math.max(16, align16(bytes));
    const high = 2 ** Math.floor(Math.log2(bytes));
    const quarter = high / 4;
    return high + Math.ceil((bytes - high) / quarter) * quarter;
  }

  /** A block of at least `bytes` bytes (contents undefined); may grow the memory. */
  alloc(bytes: number): number {
    const size = WasmAllocator.classSize(bytes);
    this.liveBytes += size;
    const list = this.free.get(size);
    if (list !== undefined && list.length > 0) return list.pop()!;
    const ptr = this.top;
    const end = ptr + size;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      const pages = Math.ceil((end - have) / 65536);
      // Grow by at least an eighth of the current size, so a growing workload grows rarely.
      const extra = Math.max(pages, Math.ceil(have / 65536 / 8));
      try {
        this.memory.grow(extra);
      } catch {
        this.memory.grow(pages); // throws RangeError when the 4 GiB limit is reached
      }
    }
    this.top = end;
    return ptr;
  }

  /** A block like `alloc`'s, or -1 where that would grow the memory (so views stay attached). */
  tryAlloc(bytes: number): number {
    const size = WasmAllocator.classSize(bytes);
    const list = this.free.get(size);
    if ((list === undefined || list.length === 0) && this.top + size > this.memory.buffer.byteLength) return -1;
    return this.alloc(bytes);
  }

  /** Returns the block at `ptr`, allocated with the same `bytes`, to its free list. */
  release(ptr: number, bytes: number): void {
    const size = WasmAllocator.classSize(bytes);
    this.liveBytes -= size;
    let list = this.free.get(size);
    if (list === undefined) this.free.set(size, (list = []));
    list.push(ptr);
  }

  /** The highest byte ever handed out (the memory never shrinks below it). */
  get highWater(): number {
    return this.top;
  }
}

function align16(n: number): number {
  return (n + 15) & ~15;
}
