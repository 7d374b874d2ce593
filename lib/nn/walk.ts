/**
 * The walk over a module tree that every listing rests on: parameters, buffers and submodules
 * with their dotted names, depth first in `members()` order, each object once (under its first
 * name), with an explicit stack so deep trees and cycles end.
 */
import { Value } from '../engine/value';
import { Tensor } from '../tensor/tensor';

/** A trainable leaf: a scalar Value or a Tensor. */
export type Parameter = Value | Tensor;

/** What the walk needs of a module: its members and buffers (protected on Module, so reached by a cast). @internal */
export interface Walkable {
  members(): Record<string, unknown>;
  ownBuffers(): Record<string, Tensor>;
  constructor: { name: string };
}

/** What the walk reports. @internal */
export interface Visitor {
  parameter?(name: string, p: Parameter): void;
  buffer?(name: string, b: Tensor): void;
  module?(name: string, m: Walkable): void;
}

type Item = readonly [kind: 'member' | 'buffer', name: string, value: unknown];

/**
 * Visits `root`'s tree. `isModule` says which members are modules (Module lives in a file that
 * imports this one). A member that is neither a parameter, a module nor an array of them is
 * refused with a TypeError naming it. @internal
 */
export function walk(root: Walkable, isModule: (x: unknown) => x is Walkable, visit: Visitor): void {
  const seen = new Set<unknown>();
  // Children are pushed in reverse so they pop in order; a module's buffers come after its members.
  const stack: Item[] = [['member', '', root]];
  while (stack.length > 0) {
    const [kind, name, member] = stack.pop()!;
    if (kind === 'buffer') {
      if (seen.has(member)) continue;
      seen.add(member);
      visit.buffer?.(name, member as Tensor);
    } else if (member instanceof Value || member instanceof Tensor) {
      if (seen.has(member)) continue;
      seen.add(member);
      visit.parameter?.(name, member);
    } else if (isModule(member)) {
      if (seen.has(member)) continue;
      seen.add(member);
      visit.module?.(name, member);
      const buffers = Object.entries(member.ownBuffers());
      for (let i = buffers.length - 1; i >= 0; i--) {
        const [key, buffer] = buffers[i];
        checkMemberName(member, key);
        if (!(buffer instanceof Tensor))
          throw new TypeError(
            `${member.constructor.name}.ownBuffers(): buffer '${key}' must be a Tensor, got ${typeof buffer}.`,
          );
        stack.push(['buffer', join(name, key), buffer]);
      }
      const children = Object.entries(member.members());
      for (let i = children.length - 1; i >= 0; i--) {
        const [key, child] = children[i];
        checkMemberName(member, key);
        stack.push(['member', join(name, key), child]);
      }
    } else if (Array.isArray(member)) {
      for (let i = member.length - 1; i >= 0; i--) stack.push(['member', `${name}.${i}`, member[i]]);
    } else {
      throw new TypeError(
        `Module.members(): member '${name}' must be a Value, a Tensor, a Module or an array of them, got ${member === null ? 'null' : typeof member}.`,
      );
    }
  }
}

function join(prefix: string, name: string): string {
  return prefix === '' ? name : `${prefix}.${name}`;
}

/** Refuses a member name that would make dotted parameter names ambiguous. */
function checkMemberName(module: Walkable, name: string): void {
  if (name === '' || name.includes('.')) {
    throw new TypeError(
      `${module.constructor.name}.members(): member name ${JSON.stringify(name)} ${name === '' ? 'is empty' : "contains '.'"}; ` +
        `parameter names are joined with '.', so two parameters could share one name. Rename the member (e.g. ${JSON.stringify(name.replace(/\./g, '_') || 'weight')}).`,
    );
  }
}
