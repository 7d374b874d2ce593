/**
 * Tensor memory inside a WebAssembly linear memory, managed without user-visible disposal.
 * See ./README.md for the whole design; in short:
 * - A `WasmStorage` is *resident* (its elements live in wasm memory at `ptr`) or *evicted*
 *   (they live in an ordinary Float32Array on the JS heap, which the GC manages). `view()` works
 *   in both states and never allocates.
 * - The tensor engine frees deterministically: `release(s)` returns a storage nobody else can
 *   see (a gradient consumed inside backward, a temporary), `evict(s)` moves one user code may
 *   still hold (a forward intermediate once backward no longer needs it) out of wasm memory.
 * - A budget bounds everything else: when resident bytes would pass it, every resident storage
 *   is evicted (one copy each) and wasm memory is reused from empty. So memory stays bounded in
 *   a synchronous loop that never calls backward, where a FinalizationRegistry never runs.
 * - Storages made during a synchronous burst are held strongly (so the budget can find them);
 *   a timer at the end of the burst hands them to a FinalizationRegistry and keeps only weak
 *   references, so a storage dropped in a REPL or between async steps frees its block when the
 *   GC collects it.
 * - A storage of another heap moves into the active one when viewed (`adopt`).
 * @internal
 */
import { WasmAllocator } from './allocator';
import type { WasmMemory } from './module';
import { WasmStorage, type OldEntry } from './storage';

export { WasmStorage };

/** Owns the allocator and the resident storages. @internal */
export class WasmHeap {
  /**
   * The heap of the tensor engine's wasm backend in use (set by lib/tensor/backend-choice.ts),
   * or null: a storage of another heap (made before a change of build or of thread count) moves
   * into it when an op reads it, so the op and the ones after run in wasm instead of on the JS
   * fallback. See `adopt`.
   */
  static active: WasmHeap | null = null;
  readonly allocator: WasmAllocator;
  /** Storages of other heaps seen by a view with no room here yet: moved in by the next `alloc`. */
  private readonly pending = new Set<WasmStorage>();
  private residents: WasmStorage[] = [];
  private readonly old = new Set<OldEntry>();
  private readonly finalizer = new FinalizationRegistry<OldEntry>((entry) => this.collected(entry));
  private sweepScheduled = false;
  /** Bytes (by size class) of resident storages. */
  residentBytes = 0;
  /** Evictions of everything triggered by the budget, for tests and benchmarks. */
  budgetEvictions = 0;
  /** Counts `endStep` calls; a storage whose view was not taken this step or the last is stale. */
  generation = 0;
  /** Storages allocated since `capture()` (a backward pass), or null. */
  private captured: WasmStorage[] | null = null;

  /**
   * @param memory the kernels' memory
   * @param base first free byte
   * @param budgetBytes resident bytes above which everything is evicted
   */
  constructor(
    readonly memory: WasmMemory,
    base: number,
    public budgetBytes: number,
  ) {
    this.allocator = new WasmAllocator(memory, base);
  }

  /** A resident storage of `length` floats (contents undefined); may evict everything first. */
  alloc(length: number): WasmStorage {
    // Allocating may grow the memory, so no view is live here: the moment to move pending storages in.
    if (this.pending.size > 0) {
      const queued = [...this.pending];
      this.pending.clear();
      for (const storage of queued) this.adopt(storage, true);
    }
    const bytes = Math.max(4, length * 4);
    const size = WasmAllocator.classSize(bytes);
    if (this.residentBytes + size > this.budgetBytes && this.residentCount > 0) this.evictAll();
    const storage = new WasmStorage(this, length, this.allocator.alloc(bytes));
    this.track(storage, size);
    if (this.captured !== null) {
      storage.captured = true;
      this.captured.push(storage);
    }
    return storage;
  }

  /**
   * Starts collecting the storages allocated from now on (a backward pass's temporaries);
   * returns false if a capture is already under way (a nested pass: the outer one owns it).
   */
  capture(): boolean {
    if (this.captured !== null) return false;
    this.captured = [];
    return true;
  }

  /** Stops collecting; with `release`, frees every collected storage not `keep`-ed since. */
  endCapture(release: boolean): void {
    const list = this.captured;
    this.captured = null;
    if (list === null) return;
    for (const storage of list) {
      if (release && storage.captured) this.release(storage);
      storage.captured = false;
    }
  }

  /** Ends a step: evicts resident storages no kernel or user read this step or the last. */
  endStep(): void {
    const stale = this.generation - 1;
    const young = this.residents;
    for (let i = young.length - 1; i >= 0; i--) if (young[i].used < stale) this.evict(young[i]);
    for (const entry of [...this.old]) {
      const storage = entry.ref.deref();
      if (storage === undefined) this.collected(entry);
      else if (storage.used < stale) this.evict(storage);
    }
    this.generation++;
  }

  /** Brings an evicted storage back if that needs neither growth nor eviction (a view call may not detach others). */
  tryReturn(storage: WasmStorage): boolean {
    const host = storage.host;
    if (host === null || host.length !== storage.length || storage.length === 0) return false;
    const bytes = Math.max(4, storage.length * 4);
    const size = WasmAllocator.classSize(bytes);
    if (this.residentBytes + size > this.budgetBytes) return false;
    const ptr = this.allocator.tryAlloc(bytes);
    if (ptr < 0) return false;
    storage.ptr = ptr;
    this.track(storage, size);
    new Float32Array(this.memory.buffer, ptr, storage.length).set(host);
    storage.host = null;
    return true;
  }

  /**
   * Moves a storage of another heap into this one: into a free block, or into a new one when
   * `grow` (only where no view can be live: `alloc`). Without room it is queued for the next
   * `alloc` and stays where it is. Its old block is freed; the storage object stays the same.
   */
  adopt(storage: WasmStorage, grow = false): boolean {
    const old = storage.heap;
    // Released storages (an empty host) are nobody's; nothing to move.
    if (old === this || storage.length === 0 || (storage.ptr < 0 && storage.host?.length !== storage.length))
      return false;
    const bytes = Math.max(4, storage.length * 4);
    const size = WasmAllocator.classSize(bytes);
    const ptr = grow ? this.allocator.alloc(bytes) : this.allocator.tryAlloc(bytes);
    if (ptr < 0) {
      this.pending.add(storage);
      return false;
    }
    const source = storage.ptr >= 0 ? new Float32Array(old.memory.buffer, storage.ptr, storage.length) : storage.host!;
    new Float32Array(this.memory.buffer, ptr, storage.length).set(source);
    old.forget(storage);
    storage.heap = this;
    storage.ptr = ptr;
    storage.host = null;
    storage.captured = false; // the old heap's backward pass must not free it
    storage.used = this.generation;
    this.track(storage, size);
    return true;
  }

  /** Called by `storage.view()`: moves a storage of this heap into the active one, if another heap is active. */
  offerToActive(storage: WasmStorage): void {
    const active = WasmHeap.active;
    if (active !== null && active !== this) active.adopt(storage);
  }

  /** Drops a storage another heap adopted: frees its block here without touching its elements. */
  private forget(storage: WasmStorage): void {
    this.pending.delete(storage);
    if (storage.ptr < 0) return;
    this.untrack(storage);
    this.allocator.release(storage.ptr, Math.max(4, storage.length * 4));
  }

  /** Frees a storage's wasm block and forgets its elements (only for storages nobody can see any more). */
  release(storage: WasmStorage): void {
    if (storage.ptr < 0) {
      storage.host = new Float32Array(0);
      return;
    }
    this.untrack(storage);
    this.allocator.release(storage.ptr, Math.max(4, storage.length * 4));
    storage.ptr = -1;
    storage.host = new Float32Array(0);
  }

  /** Moves a storage's elements to the JS heap and frees its wasm block; it stays fully usable. */
  evict(storage: WasmStorage): void {
    if (storage.ptr < 0) return;
    this.untrack(storage);
    this.moveOut(storage);
  }

  /** Brings an evicted storage back into wasm memory (may allocate: take views afterwards). */
  makeResident(storage: WasmStorage): void {
    if (storage.ptr >= 0 || storage.host === null || storage.host.length !== storage.length) return;
    const bytes = Math.max(4, storage.length * 4);
    const size = WasmAllocator.classSize(bytes);
    if (this.residentBytes + size > this.budgetBytes && this.residentCount > 0) this.evictAll();
    storage.ptr = this.allocator.alloc(bytes);
    this.track(storage, size);
    new Float32Array(this.memory.buffer, storage.ptr, storage.length).set(storage.host);
    storage.host = null;
  }

  /** Evicts every resident storage (the budget's backstop); frees the blocks of collected ones. */
  evictAll(): void {
    this.budgetEvictions++;
    const young = this.residents;
    this.residents = [];
    for (const storage of young) {
      storage.slot = -1;
      this.moveOut(storage);
    }
    for (const entry of [...this.old]) {
      const storage = entry.ref.deref();
      if (storage === undefined) {
        this.collected(entry);
        continue;
      }
      this.untrack(storage);
      this.moveOut(storage);
    }
    this.residentBytes = 0;
  }

  /** How many storages are resident (young and old). */
  get residentCount(): number {
    return this.residents.length + this.old.size;
  }

  /** Hands the young residents to the finalizer, keeping them only weakly (runs after a burst). */
  sweep(): void {
    this.sweepScheduled = false;
    for (const storage of this.residents) {
      storage.slot = -1;
      const entry: OldEntry = {
        ref: new WeakRef(storage),
        ptr: storage.ptr,
        bytes: Math.max(4, storage.length * 4),
        done: false,
      };
      storage.entry = entry;
      this.old.add(entry);
      this.finalizer.register(storage, entry, storage);
    }
    this.residents = [];
  }

  /** Copies a resident storage's elements to the JS heap and frees its block (raw views: view() could move it). */
  private moveOut(storage: WasmStorage): void {
    storage.host = new Float32Array(this.memory.buffer, storage.ptr, storage.length).slice();
    this.allocator.release(storage.ptr, Math.max(4, storage.length * 4));
    storage.ptr = -1;
  }

  /** A weakly held resident's storage was collected (or found dead): free its block once. */
  private collected(entry: OldEntry): void {
    if (entry.done) return;
    entry.done = true;
    this.old.delete(entry);
    this.allocator.release(entry.ptr, entry.bytes);
    this.residentBytes -= WasmAllocator.classSize(entry.bytes);
  }

  private track(storage: WasmStorage, size: number): void {
    storage.slot = this.residents.length;
    this.residents.push(storage);
    this.residentBytes += size;
    if (!this.sweepScheduled) {
      this.sweepScheduled = true;
      const timer = setTimeout(() => this.sweep(), 0) as { unref?: () => void };
      timer.unref?.();
    }
  }

  private untrack(storage: WasmStorage): void {
    if (storage.entry !== null) {
      const entry = storage.entry;
      entry.done = true;
      this.old.delete(entry);
      this.finalizer.unregister(storage);
      storage.entry = null;
    } else {
      const last = this.residents.pop()!;
      if (last !== storage) {
        this.residents[storage.slot] = last;
        last.slot = storage.slot;
      }
      storage.slot = -1;
    }
    this.residentBytes -= WasmAllocator.classSize(Math.max(4, storage.length * 4));
  }
}
