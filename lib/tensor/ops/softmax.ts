/**
 * softmax and logSoftmax along an axis, each one op computed without overflow, with its rule
 * written with tensor ops (so it differentiates again): softmax's gradient is
 * out * (g - sum(g * out)), logSoftmax's is g - exp(out) * sum(g).
 */
import { checkTensor, tensorRule } from '../define';
import { recordTensor } from '../record';
import { normalizeAxis } from '../shape';
import type { Tensor } from '../tensor';
import { mul, sub } from './arithmetic';
import { logSumExp, sum } from './reduce';
import { exp } from './unary';
import { noGrad } from '../../engine/modes';

const SOFTMAX = /* @__PURE__ */ tensorRule('softmax', [-1], (g, node) => {
  const axis = node._ctx as number;
  return [[node._a, mul(node, sub(g, sum(mul(g, node), axis, true)))]];
});

export function softmax(x: Tensor, axis = -1): Tensor {
  checkTensor('softmax', x);
  const a = normalizeAxis('softmax', axis, x.ndim);
  const out = noGrad(() => exp(sub(x, logSumExp(x, a, true))));
  return recordTensor(out, SOFTMAX, x, null, a);
}

/**
 * Records `values` (softmax(x) along `axis`, computed elsewhere, e.g. by a fused kernel) as
 * the softmax node of `x`, so it differentiates as softmax does. @internal
 */
export function recordSoftmax(x: Tensor, values: Tensor, axis: number): Tensor {
  return recordTensor(values, SOFTMAX, x, null, normalizeAxis('softmax', axis, x.ndim));
}

const LOG_SOFTMAX = /* @__PURE__ */ tensorRule('logSoftmax', [-1], (g, node) => {
  const axis = node._ctx as number;
  return [[node._a, sub(g, mul(exp(node), sum(g, axis, true)))]];
});

export function logSoftmax(x: Tensor, axis = -1): Tensor {
  checkTensor('logSoftmax', x);
  const a = normalizeAxis('logSoftmax', axis, x.ndim);
  const out = noGrad(() => sub(x, logSumExp(x, a, true)));
  return recordTensor(out, LOG_SOFTMAX, x, null, a);
}
