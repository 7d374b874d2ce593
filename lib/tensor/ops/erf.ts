/**
 * The error function and GELU. `erf`'s forward is a series (|x| < 3) or a continued fraction
 * for erfc (|x| >= 3), accurate to about 1e-15; its gradient rule, 2/sqrt(π)·e^(-x²), is
 * written with tensor ops, so every higher order follows. `gelu` is composed of ops.
 */
import { describeForError } from '../../engine/errors';
import { checkTensor, tensorRule } from '../define';
import { dataOf, empty, recordTensor } from '../record';
import type { Tensor } from '../tensor';
import { add, mul } from './arithmetic';
import { exp, tanh } from './unary';

const TWO_OVER_SQRT_PI = 1.1283791670955126; // 2 / sqrt(π)

/** erf(x) for one number. @internal */
export function erfNumber(x: number): number {
  const a = Math.abs(x);
  if (Number.isNaN(x)) return NaN;
  if (a < 3) {
    // erf(x) = 2/sqrt(π) Σ (-1)^n x^(2n+1) / (n! (2n+1))
    let term = x;
    let total = x;
    const x2 = x * x;
    for (let n = 1; n < 80; n++) {
      term *= -x2 / n;
      const next = term / (2 * n + 1);
      total += next;
      if (Math.abs(next) < 1e-17 * Math.abs(total)) break;
    }
    return TWO_OVER_SQRT_PI * total;
  }
  if (a > 6) return Math.sign(x);
  // erfc(a) = e^(-a²)/sqrt(π) · 1/(a + (1/2)/(a + 1/(a + (3/2)/(a + ...)))), evaluated from the tail.
  let f = a;
  for (let k = 60; k >= 1; k--) f = a + k / 2 / f;
  const erfc = Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
  return Math.sign(x) * (1 - erfc);
}

/** d erf(x)/dx = 2/sqrt(π)·e^(-x²), written with ops so it can be differentiated again. */
const ERF = /* @__PURE__ */ tensorRule('erf', [0], (g, node) => {
  const x = node._a as Tensor;
  return [[x, mul(g, mul(exp(mul(mul(x, x), -1)), TWO_OVER_SQRT_PI))]];
});

/**
 * The error function, elementwise (torch.erf).
 * @example erf(tensor([0.5])).item()   // 0.5204999 (to float32 rounding)
 */
export function erf(x: Tensor): Tensor {
  checkTensor('erf', x);
  const out = empty(x.shape, x.dtype);
  const source = dataOf(x);
  const target = dataOf(out);
  for (let i = 0; i < source.length; i++) target[i] = erfNumber(source[i]);
  return recordTensor(out, ERF, x, null);
}

/**
 * GELU, x·Φ(x) = 0.5·x·(1 + erf(x/√2)) (torch.nn.functional.gelu); `approximate` 'tanh' uses
 * 0.5·x·(1 + tanh(sqrt(2/π)·(x + 0.044715·x³))).
 * @example gelu(tensor([1])).item()   // 0.8413447 (to float32 rounding)
 */
export function gelu(x: Tensor, approximate: 'none' | 'tanh' = 'none'): Tensor {
  checkTensor('gelu', x);
  if (approximate === 'tanh') {
    const inner = mul(add(x, mul(mul(mul(x, x), x), 0.044715)), Math.sqrt(2 / Math.PI));
    return mul(mul(x, 0.5), add(tanh(inner), 1));
  }
  if (approximate !== 'none')
    throw new TypeError(
      `gelu(x, approximate): approximate must be 'none' or 'tanh', got ${describeForError(approximate)}.`,
    );
  return mul(mul(x, 0.5), add(erf(mul(x, Math.SQRT1_2)), 1));
}
