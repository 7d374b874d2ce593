/**
 * `WasmStorage`: one float32 buffer of the wasm heap (./heap.ts), resident in wasm memory or
 * moved out to the JS heap. See ./README.md for the design.
 * @internal
 */
import type { Storage } from '../backend';
import type { WasmHeap } from './heap';

/** A resident storage from an earlier burst, held weakly by its heap. @internal */
export interface OldEntry {
  readonly ref: WeakRef<WasmStorage>;
  readonly ptr: number;
  readonly bytes: number;
  /** Set once the block was freed, so the finalizer does not free it twice. */
  done: boolean;
}

/** A float32 buffer placed in wasm memory (or moved out of it). */
export class WasmStorage implements Storage {
  readonly dtype = 'float32' as const;
  version = 0;
  /** Byte offset in wasm memory while resident, -1 otherwise. @internal */
  ptr: number;
  /** Position in the heap's list of young (strongly held) residents, -1 otherwise. @internal */
  slot = -1;
  /** The weak entry while an old (weakly held) resident. @internal */
  entry: OldEntry | null = null;
  /** The elements while evicted (null while resident). @internal */
  host: Float32Array | null = null;
  /** The heap's generation when a view was last taken (stale storages are evicted). @internal */
  used: number;
  /** Allocated while the heap captured (inside a backward pass): released at its end unless kept. @internal */
  captured = false;
  private cached: Float32Array | null = null;

  /** @internal Use `WasmBackend.alloc`. */
  constructor(
    /** The heap whose memory holds it (another one may adopt it: see WasmHeap.active). @internal */ public heap: WasmHeap,
    readonly length: number,
    ptr: number,
  ) {
    this.ptr = ptr;
    this.used = heap.generation;
  }

  /**
   * The elements: a Float32Array over wasm memory (re-derived after the memory grew) or the
   * evicted copy. Take it after allocating a kernel's outputs, never keep it across allocations.
   * @example
   * const s = new WasmBackend(jsBackend).alloc('float32', 3);
   * s.view()[0] = 1;
   */
  view(): Float32Array {
    this.heap.offerToActive(this);
    this.used = this.heap.generation;
    if (this.ptr < 0 && !this.heap.tryReturn(this)) return this.host!;
    const buffer = this.heap.memory.buffer;
    let cached = this.cached;
    if (cached === null || cached.buffer !== buffer || cached.byteOffset !== this.ptr)
      this.cached = cached = new Float32Array(buffer, this.ptr, this.length);
    return cached;
  }

  /** The elements on the JS heap (moved out of wasm memory if resident), for user code to keep. */
  stableView(): Float32Array {
    if (this.ptr >= 0) this.heap.evict(this);
    return this.host!;
  }

  /** Whether the elements are in wasm memory. */
  get resident(): boolean {
    return this.ptr >= 0;
  }
}
