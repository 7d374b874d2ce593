/** Value's smaller promises, each checked by its observable result or its exact message. */
import { Value, explainGrad, noGrad, outline, stopGradient } from '../../lib';

test('requiresGrad_ refuses a non-boolean and a non-leaf with messages that say what to do', () => {
  expect(() => new Value(1).requiresGrad_('no' as never)).toThrow(
    'requiresGrad_(flag): expected a boolean, got "no" (a string).',
  );
  const y = new Value(1).mul(2);
  expect(() => y.requiresGrad_(false)).toThrow(
    "requiresGrad_(false): only leaves can be frozen or unfrozen, and this Value was produced by 'mul'. Use value.detach() for a frozen copy, or value.detach_() to cut it in place.",
  );
  expect(() => y.requiresGrad_()).toThrow(/^requiresGrad_\(true\): only leaves/);
});

test('freezing a constant leaves it a constant; unfreezing a frozen leaf makes it a plain leaf again', () => {
  const c = new Value(1, { requiresGrad: false }).requiresGrad_(false);
  expect(outline(c)).toBe('#1 value  data=1 grad=0 [constant]');
  const w = new Value(1).requiresGrad_(false);
  expect(outline(w)).toBe('#1 value  data=1 grad=0 [frozen]');
  w.requiresGrad_(false);
  expect(outline(w)).toBe('#1 value  data=1 grad=0 [frozen]');
  w.requiresGrad_(true);
  expect([w.requiresGrad, outline(w)]).toEqual([true, '#1 value  data=1 grad=0 [leaf]']);
});

test('detach() is a stop-gradient copy; detach_() cuts in place; neither is allowed mid-pass', () => {
  const x = new Value(2, { label: 'x' });
  const copy = x.detach();
  expect([copy.data, copy.requiresGrad, copy.isLeaf, x.requiresGrad]).toEqual([2, false, true, true]);
  expect(outline(copy)).toBe('#1 value  data=2 grad=0 [stopGradient]');
  expect(outline(stopGradient(x))).toBe('#1 value  data=2 grad=0 [stopGradient]');
  const h = x.mul(3);
  h.registerHook(() => {
    h.detach_();
  });
  expect(() => h.mul(2).backward()).toThrow(
    'detach_(): this Value is part of a backward pass under way (called from a hook?). Change the graph after backward() returns.',
  );
  expect([h.isLeaf, x.grad]).toEqual([false, 0]);
  const w = new Value(1);
  w.registerHook(() => {
    w.requiresGrad_(false);
  });
  expect(() => w.mul(2).backward()).toThrow(/^requiresGrad_\(\): this Value is part of a backward pass under way/);
  expect(w.requiresGrad).toBe(true);
});

test('detach_ on a node made under noGrad keeps it a no-grad leaf and marks the cut', () => {
  const x = new Value(2);
  const q = noGrad(() => x.mul(2));
  q.detach_();
  expect(outline(q)).toBe('#1 value  data=4 grad=0 [detach_: cut here]');
});

describe('hooks', () => {
  test('registerHook refuses a non-function and a Value that needs no grad', () => {
    expect(() => new Value(1).registerHook(3 as never)).toThrow(
      'registerHook(hook): expected a function (grad) => number | void, got 3.',
    );
    expect(() => new Value(1, { requiresGrad: false }).registerHook(() => undefined)).toThrow(
      'registerHook(): this Value does not require grad, so no gradient will ever reach the hook. Register hooks on values that require grad (unfreeze a leaf with requiresGrad_()).',
    );
  });

  test('hooks run in order, each on the previous result; removing one keeps the others; removing twice is harmless', () => {
    const x = new Value(1);
    const seen: number[] = [];
    const removeDouble = x.registerHook((g) => {
      seen.push(g);
      return g * 2;
    });
    x.registerHook((g) => {
      seen.push(g);
      return g + 1;
    });
    x.mul(3).backward();
    expect([seen, x.grad]).toEqual([[3, 6], 7]);
    removeDouble();
    removeDouble();
    x.zeroGrad();
    seen.length = 0;
    x.mul(3).backward();
    expect([seen, x.grad]).toEqual([[3], 4]);
  });

  test('a hook returning a non-number is refused and no .grad changes', () => {
    const x = new Value(1);
    x.registerHook(() => '2' as never);
    expect(() => x.mul(3).backward()).toThrow(
      'gradient hook: a hook must return a number or nothing, but returned "2" (a string). No .grad was changed.',
    );
    expect(x.grad).toBe(0);
  });
});

test('zeroGrad clears gradValue; toJSON never walks the graph; labels can be cleared', () => {
  const x = new Value(3, { label: 'x' });
  const y = x.mul(x);
  y.backward(1, { createGraph: true });
  expect([x.grad, x.gradValue!.data]).toEqual([6, 6]);
  x.zeroGrad();
  expect([x.grad, x.gradValue]).toEqual([0, null]);
  expect(JSON.stringify({ y })).toBe('{"y":{"data":9,"grad":1}}');
  x.label = '';
  expect([x.label, String(x)]).toEqual(['', 'Value(data=3, grad=0)']);
  expect(new Value(1).gradValue).toBeNull();
  expect(new Value(1).label).toBe('');
});

test('explainGrad: a detached copy passes no gradient, and its product with constants keeps no parents', () => {
  const x = new Value(2, { label: 'x' });
  const out = x.detach().mul(x);
  expect(explainGrad(out, x).verdict).toBe('flows');
  const cut = explainGrad(x.detach().mul(3), x);
  expect(cut.verdict).toBe('cut');
  expect(cut.cause).toBe('from-constants'); // the output itself kept no parents
});
