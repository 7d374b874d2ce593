/**
 * Short printed forms for modules and optimisers (the REPL, `console.log`, `String(model)`): a
 * PyTorch-style module tree with sizes and parameter counts, where a list of identical children
 * prints once as `16 x Neuron(...)`; an optimiser's hyperparameters, never its parameters.
 */
import { formatNumber } from '../engine/format';
import { Value } from '../engine/value';
import { Tensor } from '../tensor/tensor';
import type { AnyModule as Module, Member } from './module';

/** `Symbol.for('nodejs.util.inspect.custom')`: Node's printing hook, harmless elsewhere. @internal */
export const INSPECT = Symbol.for('nodejs.util.inspect.custom');

type Inner = { members(): Record<string, Member<Value | Tensor>>; extraRepr(): string };

/** How many numbers a module trains: one per Value, a Tensor's element count (PyTorch's numel). */
function count(module: Module): number {
  let n = 0;
  for (const p of module.parameters() as (Value | Tensor)[]) n += p instanceof Tensor ? p.size : 1;
  return n;
}

function plural(n: number): string {
  return `${n} parameter${n === 1 ? '' : 's'}`;
}

/** One line: `Name(extra; N parameters)`. */
function head(module: Module): string {
  const extra = (module as unknown as Inner).extraRepr();
  return `${module.constructor.name}(${extra === '' ? '' : `${extra}; `}${plural(count(module))})`;
}

function lines(module: Module, depth: number, maxDepth: number): string[] {
  const out = [head(module)];
  if (depth >= maxDepth) return out;
  const pad = '  '.repeat(depth + 1);
  for (const [name, member] of Object.entries((module as unknown as Inner).members())) {
    if (member instanceof Value || member instanceof Tensor) continue;
    if (!Array.isArray(member)) {
      const [first, ...rest] = lines(member as Module, depth + 1, maxDepth);
      out.push(`${pad}(${name}): ${first}`, ...rest);
      continue;
    }
    const modules = (member as readonly (Value | Tensor | Module)[]).filter(
      (m): m is Module => !(m instanceof Value || m instanceof Tensor),
    );
    if (modules.length === 0) continue;
    const heads = modules.map(head);
    if (modules.length > 1 && heads.every((h) => h === heads[0])) {
      out.push(`${pad}(${name}): ${modules.length} x ${heads[0]}`);
      continue;
    }
    modules.forEach((child, i) => {
      const [first, ...rest] = lines(child, depth + 1, maxDepth);
      out.push(`${pad}(${name}.${i}): ${first}`, ...rest);
    });
  }
  return out;
}

/**
 * The module tree as text, `maxDepth` levels deep (default 3).
 *
 * @example
 * summarizeModule(new MLP(2, [16, 1]));
 * // MLP(2 -> 16 -> 1; 65 parameters)
 * //   (layers.0): Layer(2 -> 16, relu; 48 parameters)
 * //     (neurons): 16 x Neuron(2 inputs, relu; 3 parameters)
 * //   ...
 */
export function summarizeModule(module: Module, maxDepth = 3): string {
  return lines(module, 0, maxDepth).join('\n');
}

function formatOption(value: unknown): string {
  if (typeof value === 'number') return formatNumber(value);
  if (Array.isArray(value)) return `[${value.map(formatOption).join(', ')}]`;
  return String(value);
}

/**
 * An optimiser as one line: its type, hyperparameters and how many parameters it updates.
 *
 * @example
 * summarizeOptimizer(new SGD(model.parameters(), { lr: 0.05, momentum: 0.9 }));
 * // 'SGD(lr=0.05, momentum=0.9, ...; 337 parameters)'
 */
export function summarizeOptimizer(optimizer: {
  constructor: { name: string };
  params: readonly unknown[];
  options?: object;
}): string {
  const options = Object.entries(optimizer.options ?? {}).map(([key, value]) => `${key}=${formatOption(value)}`);
  return `${optimizer.constructor.name}(${[...options, ''].join(', ').replace(/, $/, '')}; ${plural(optimizer.params.length)})`.replace(
    '(; ',
    '(',
  );
}
