/** Module graphs users build by hand: cycles, tied submodules, ambiguous names, hostile state dicts. */
import { Module, Value } from '../../lib';
import { save } from '../../lib/node';
import type { Member } from '../../lib';

class Box extends Module {
  children: Record<string, Member> = {};
  protected members(): Record<string, Member> {
    return this.children;
  }
}

describe('a module graph with cycles and shared submodules', () => {
  const a = new Box();
  const b = new Box();
  const w = new Value(1);
  const v = new Value(2);
  a.children = { w, child: b };
  b.children = { v, parent: a, again: [b, w] };

  test('lists each parameter once, under its first name', () => {
    expect(a.namedParameters().map(([n, p]) => [n, p.data])).toEqual([
      ['w', 1],
      ['child.v', 2],
    ]);
    expect(b.namedParameters().map(([n]) => n)).toEqual(['v', 'parent.w']);
  });

  test('freeze, unfreeze, zeroGrad and stateDict end', () => {
    a.freeze();
    expect([w.requiresGrad, v.requiresGrad]).toEqual([false, false]);
    a.unfreeze();
    expect([w.requiresGrad, v.requiresGrad]).toEqual([true, true]);
    expect(a.stateDict()).toEqual({ w: 1, 'child.v': 2 });
  });

  test('a deep chain of modules does not overflow the stack', () => {
    const root = new Box();
    let tail = root;
    for (let i = 0; i < 20_000; i++) {
      const next = new Box();
      tail.children = { next };
      tail = next;
    }
    tail.children = { p: new Value(7) };
    const named = root.namedParameters();
    expect(named).toHaveLength(1);
    expect(named[0][1].data).toBe(7);
    expect(named[0][0].split('.')).toHaveLength(20_001);
  });
});

describe('member names', () => {
  test.each([
    ['q.0', /member name "q\.0" contains '\.'; .*Rename the member \(e\.g\. "q_0"\)/],
    ['', /member name "" is empty/],
  ])('a member named %j is refused, since two parameters could share a dotted name', (name, message) => {
    const m = new Box();
    m.children = { [name]: new Value(1), q: [new Value(2)] };
    expect(() => m.namedParameters()).toThrow(TypeError);
    expect(() => m.namedParameters()).toThrow(message);
    return expect(save(m, '/nonexistent-dir/never-written.json')).rejects.toThrow(message);
  });
});

describe('loadStateDict reads each value once', () => {
  test('a getter that returns a number when checked and a string after cannot get through', () => {
    const m = new Box();
    const p = new Value(1);
    m.children = { p };
    let reads = 0;
    const state = {
      get p() {
        reads++;
        return reads === 1 ? 5 : 'five';
      },
    } as unknown as Record<string, number>;
    m.loadStateDict(state);
    expect(p.data).toBe(5);
    expect(reads).toBe(1);
  });

  test('a Proxy state is read once per name', () => {
    const m = new Box();
    const p = new Value(1);
    const q = new Value(2);
    m.children = { p, q };
    const gets: string[] = [];
    const state = new Proxy(
      { p: 3, q: 4 },
      {
        get(target, key, receiver) {
          gets.push(String(key));
          return Reflect.get(target, key, receiver);
        },
      },
    );
    m.loadStateDict(state);
    expect([p.data, q.data]).toEqual([3, 4]);
    expect(gets).toEqual(['p', 'q']);
  });
});
