/**
 * Losses: crossEntropy (integer class labels, one fused and numerically stable op, with label
 * smoothing), nllLoss, mseLoss, l1Loss and binaryCrossEntropyWithLogits, each with PyTorch's
 * `reduction`.
 */
import { describeForError } from '../../engine/errors';
import { isGradEnabled } from '../../engine/modes';
import { currentBackend } from '../backend-choice';
import { checkTensor, tensorRule } from '../define';
import { dataOf, empty, recordTensor, uninitialized } from '../record';
import { broadcastShapes, formatShape } from '../shape';
import { Tensor } from '../tensor';
import { abs, log1p, exp, relu } from './unary';
import { mul, sub, add } from './arithmetic';
import { mean, sum } from './reduce';
import { expand, reshape } from './shape';
import { gather } from './indexing';
import { tensor } from '../create';
import { recordSoftmax } from './softmax';

/** How a loss combines its per-sample terms. */
export type Reduction = 'mean' | 'sum' | 'none';

/** Options of `crossEntropy`. */
export interface CrossEntropyOptions {
  reduction?: Reduction;
  /** Mix the one-hot target with the uniform distribution (PyTorch's label_smoothing), in [0, 1]. */
  labelSmoothing?: number;
}

/** Class labels: integers in [0, classes). */
export type Labels = ArrayLike<number> | Tensor;

function checkReduction(op: string, reduction: unknown): Reduction {
  if (reduction === undefined) return 'mean';
  if (reduction === 'mean' || reduction === 'sum' || reduction === 'none') return reduction;
  throw new TypeError(`${op}(): reduction must be 'mean', 'sum' or 'none', got ${describeForError(reduction)}.`);
}

function reduce(losses: Tensor, reduction: Reduction): Tensor {
  return reduction === 'none' ? losses : reduction === 'sum' ? sum(losses) : mean(losses);
}

/** The labels checked against `input` [batch, classes]: one integer in [0, classes) per row. */
function checkLabels(op: string, input: Tensor, labels: Labels, inputName: string): ArrayLike<number> {
  const [n, c] = input.shape;
  const values: unknown = labels instanceof Tensor ? labels._data : labels;
  if (typeof values !== 'object' || values === null || typeof (values as ArrayLike<number>).length !== 'number')
    throw new TypeError(
      `${op}(): labels must be an array of class indices or a Tensor, got ${describeForError(labels)}.`,
    );
  const list = values as ArrayLike<number>;
  if (list.length !== n)
    throw new RangeError(
      `${op}(): ${list.length} labels for ${n} rows of ${inputName} (shape ${formatShape(input.shape)}); there must be one label per row.`,
    );
  for (let i = 0; i < n; i++) {
    const y = list[i];
    if (!Number.isInteger(y) || y < 0 || y >= c)
      throw new RangeError(
        `${op}(): labels[${i}] is ${y}, but a label must be an integer class index in [0, ${c - 1}].`,
      );
  }
  return list;
}

/** The smoothed one-hot target distribution q for `labels` (a constant). */
function oneHotTargets(logits: Tensor, labels: Labels, smoothing: number): Tensor {
  const [n, c] = logits.shape;
  const values = checkLabels('crossEntropy', logits, labels, 'logits');
  const q = empty([n, c], logits.dtype);
  const data = dataOf(q);
  const off = smoothing / c;
  if (off !== 0) data.fill(off);
  for (let i = 0; i < n; i++) data[i * c + values[i]] += 1 - smoothing;
  return q;
}

/** What the forward keeps for the rule: the targets and softmax(logits). */
interface CrossEntropyContext {
  targets: Tensor;
  probs: Tensor;
}

/**
 * d loss_i / d logits_i = softmax(logits_i) - q_i, times the incoming gradient of loss_i, with
 * the forward's softmax: as it is in a numeric pass, and under createGraph recorded as the
 * softmax node of the logits (same numbers, so the gradient differentiates again and both
 * passes agree bit for bit).
 */
const CROSS_ENTROPY = /* @__PURE__ */ tensorRule('crossEntropy', [0], (g, node) => {
  const logits = node._a as Tensor;
  const { targets, probs } = node._ctx as CrossEntropyContext;
  const p = isGradEnabled() ? recordSoftmax(logits, probs.detach(), 1) : probs;
  return [[logits, mul(sub(p, targets), expand(reshape(g, [logits.shape[0], 1]), logits.shape))]];
});

/**
 * Softmax cross-entropy of `logits` [batch, classes] against integer `labels`, fused and
 * stable (PyTorch's F.cross_entropy): one kernel gives each row's loss and its softmax, which
 * the gradient reuses. Reduction 'mean' (default) averages over the batch.
 *
 * @example crossEntropy(tensor([[0, 0]]), [1]).item()   // 0.6931471805599453 (to float32 rounding)
 */
export function crossEntropy(logits: Tensor, labels: Labels, options: CrossEntropyOptions = {}): Tensor {
  checkTensor('crossEntropy', logits, 'logits');
  if (logits.ndim !== 2)
    throw new RangeError(`crossEntropy(): logits must have shape [batch, classes], got ${formatShape(logits.shape)}.`);
  const reduction = checkReduction('crossEntropy', options.reduction);
  const smoothing = options.labelSmoothing ?? 0;
  if (typeof smoothing !== 'number' || !(smoothing >= 0 && smoothing <= 1))
    throw new RangeError(`crossEntropy(): labelSmoothing must be a number in [0, 1], got ${String(smoothing)}.`);
  const [rows, cols] = logits.shape;
  const targets = oneHotTargets(logits, labels, smoothing);
  const losses = uninitialized([rows], logits.dtype);
  const probs = uninitialized([rows, cols], logits.dtype);
  // Views after every allocation (a growing wasm memory detaches older ones).
  const [x, q, out, p] = [dataOf(logits), dataOf(targets), dataOf(losses), dataOf(probs)];
  currentBackend().softmaxCrossEntropy(x, q, rows, cols, out, p);
  const context: CrossEntropyContext = { targets, probs };
  return reduce(recordTensor(losses, CROSS_ENTROPY, logits, null, context), reduction);
}

/**
 * Negative log-likelihood of integer `labels` under log-probabilities `logProbs` [batch,
 * classes] (PyTorch's F.nll_loss): -logProbs[i, labels[i]]. With logSoftmax it is crossEntropy.
 *
 * @example nllLoss(tensor([[-0.5, -1.5]]), [1]).item()   // 1.5
 */
export function nllLoss(logProbs: Tensor, labels: Labels, options: { reduction?: Reduction } = {}): Tensor {
  checkTensor('nllLoss', logProbs, 'logProbs');
  if (logProbs.ndim !== 2)
    throw new RangeError(`nllLoss(): logProbs must have shape [batch, classes], got ${formatShape(logProbs.shape)}.`);
  const reduction = checkReduction('nllLoss', options.reduction);
  const values = checkLabels('nllLoss', logProbs, labels, 'logProbs');
  const n = logProbs.shape[0];
  const index = tensor(Array.from(values), { shape: [n, 1], dtype: 'float64' });
  return reduce(reshape(gather(logProbs, 1, index), [n]).neg(), reduction);
}

/**
 * Mean absolute error (PyTorch's F.l1_loss); its gradient at a zero difference is 0.
 * @example l1Loss(tensor([1, 2]), tensor([1, 5])).item()   // 1.5
 */
export function l1Loss(prediction: Tensor, target: Tensor, options: { reduction?: Reduction } = {}): Tensor {
  checkTensor('l1Loss', prediction, 'prediction');
  checkTensor('l1Loss', target, 'target');
  broadcastShapes('l1Loss', prediction.shape, target.shape);
  return reduce(abs(sub(prediction, target)), checkReduction('l1Loss', options.reduction));
}

/**
 * Mean squared error (PyTorch's F.mse_loss).
 * @example mseLoss(tensor([1, 2]), tensor([1, 4])).item()   // 2
 */
export function mseLoss(prediction: Tensor, target: Tensor, options: { reduction?: Reduction } = {}): Tensor {
  checkTensor('mseLoss', prediction, 'prediction');
  checkTensor('mseLoss', target, 'target');
  broadcastShapes('mseLoss', prediction.shape, target.shape); // a shape error names this op, not its inner sub
  const diff = sub(prediction, target);
  return reduce(mul(diff, diff), checkReduction('mseLoss', options.reduction));
}

/**
 * Binary cross-entropy on logits, stable for any logit (PyTorch's
 * F.binary_cross_entropy_with_logits): max(x, 0) - x*y + log(1 + exp(-|x|)).
 * @example binaryCrossEntropyWithLogits(tensor([0]), tensor([1])).item()   // 0.6931471805599453 (to float32 rounding)
 */
export function binaryCrossEntropyWithLogits(
  logits: Tensor,
  target: Tensor,
  options: { reduction?: Reduction } = {},
): Tensor {
  checkTensor('binaryCrossEntropyWithLogits', logits, 'logits');
  checkTensor('binaryCrossEntropyWithLogits', target, 'target');
  broadcastShapes('binaryCrossEntropyWithLogits', logits.shape, target.shape);
  const losses = add(sub(relu(logits), mul(logits, target)), log1p(exp(abs(logits).neg())));
  return reduce(losses, checkReduction('binaryCrossEntropyWithLogits', options.reduction));
}
