/** lib/engine/node.ts: hooks' registration and removal, and the side object's defaults, for both node kinds. */
import { Value, tensor } from '../../lib';
import { isScalarNode, ownNumber } from '../../lib/engine/node';

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

describe('telling scalar leaves from tensors without calling accessors', () => {
  test('ownNumber reads an own number field and never calls an accessor', () => {
    let calls = 0;
    const withGetter = Object.create({
      get data() {
        calls++;
        return 7;
      },
    }) as object;
    expect(ownNumber(withGetter, 'data')).toBeUndefined();
    expect(ownNumber({ data: 3 }, 'data')).toBe(3);
    expect(ownNumber({ data: [3] }, 'data')).toBeUndefined();
    expect(calls).toBe(0);
  });

  test('isScalarNode: a Value leaf is scalar; a tensor leaf is not, and its data accessor is not read', () => {
    expect(isScalarNode(new Value(2))).toBe(true);
    const t = tensor([1, 2], { requiresGrad: true });
    let owner: object = t;
    while (!Object.prototype.hasOwnProperty.call(owner, 'data')) owner = Object.getPrototypeOf(owner) as object;
    const spy = jest.spyOn(owner as { data: unknown }, 'data', 'get');
    try {
      expect(isScalarNode(t)).toBe(false);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });
});
