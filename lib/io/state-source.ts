/**
 * Where the file formats get tensors by name: a module's state dict (parameters and buffers,
 * under PyTorch's names) or a state dict given directly.
 */
import { describeForError } from '../engine/errors';
import { Tensor } from '../tensor/tensor';

/** What the formats need of a module: its state dict of Tensors, and a checked way to load one. */
export interface ModuleWithState {
  stateDict(): Record<string, unknown>;
  loadStateDict(state: Record<string, Tensor>): void;
}

/** Throws a TypeError unless `module` has `stateDict` and `loadStateDict`. @internal */
export function checkStateModule(where: string, module: unknown): asserts module is ModuleWithState {
  const m = module as Partial<ModuleWithState> | null;
  if (typeof m !== 'object' || m === null || typeof m.stateDict !== 'function' || typeof m.loadStateDict !== 'function')
    throw new TypeError(`${where}: module must be a Module (e.g. an nn.Sequential), got ${describeForError(module)}.`);
}

/**
 * The named tensors of `source` (a module, or a state dict of Tensors), in order. Throws a
 * TypeError naming the first entry that is not a Tensor (a scalar `Value` model's numbers). @internal
 */
export function stateOf(where: string, source: unknown): [string, Tensor][] {
  if (typeof source !== 'object' || source === null || Array.isArray(source))
    throw new TypeError(
      `${where}: expected a Module or a state dict of Tensors by name, got ${describeForError(source)}.`,
    );
  const isModule = typeof (source as Partial<ModuleWithState>).stateDict === 'function';
  const state = isModule ? (source as ModuleWithState).stateDict() : (source as Record<string, unknown>);
  const out: [string, Tensor][] = [];
  for (const name of Object.keys(state)) {
    const t = state[name];
    if (!(t instanceof Tensor))
      throw new TypeError(
        `${where}: '${name}' is ${describeForError(t)}, not a Tensor; safetensors holds tensors` +
          (isModule ? ' (a model of scalar Values has no tensors: build it from the nn layers).' : '.'),
      );
    out.push([name, t]);
  }
  return out;
}
