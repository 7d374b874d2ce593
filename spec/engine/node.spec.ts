/** lib/engine/node.ts: hooks' registration and removal, and the side object's defaults, for both node kinds. */
import { Value, tensor } from '../../lib';

describe('registerHook', () => {
  test("a Tensor's refusal of a non-function names the Tensor hook's signature", () => {
    const t = tensor([1, 2], { requiresGrad: true });
    expect(() => t.registerHook(3 as never)).toThrow(
      new TypeError('registerHook(hook): expected a function (grad) => Tensor | void, got 3.'),
    );
    expect(() => new Value(1).registerHook('h' as never)).toThrow(
      new TypeError('registerHook(hook): expected a function (grad) => number | void, got "h" (a string).'),
    );
  });

  test('a remover called again after the same hook was registered anew leaves the new registration', () => {
    const x = new Value(2);
    const double = (g: number) => g * 2;
    const remove = x.registerHook(double);
    remove();
    x.registerHook(double);
    remove();
    x.mul(3).backward();
    expect(x.grad).toBe(6);
  });
});

describe('the side object', () => {
  test('a non-leaf tensor with a hook or a label keeps no .grad unless it retains it', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const h = x.mul(3);
    h.registerHook(() => undefined);
    const k = x.mul(2);
    k.label = 'k';
    h.add(k).sum().backward();
    expect([h.grad, k.grad, Array.from(x.grad!.data as ArrayLike<number>)]).toEqual([null, null, [5, 5]]);
  });
});
