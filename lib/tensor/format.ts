/** How a Tensor prints: like PyTorch, values (elided past 1,000 elements), then shape, dtype and op. */
import { formatNumber } from '../engine/format';
import type { Tensor } from './tensor';

const EDGE = 3;
const LIMIT = 1000;

/**
 * `tensor([[1, 2], [3, 4]], shape=[2, 2], op=mul)`; large tensors show the first and last three
 * entries of each dimension with `...` between.
 */
export function formatTensor(t: Tensor): string {
  const data = t._data;
  const shape = t.shape;
  const elide = t.size > LIMIT;
  const strides: number[] = [];
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = stride;
    stride *= shape[i];
  }
  const render = (dim: number, offset: number): string => {
    if (dim === shape.length) return formatNumber(data[offset], 4);
    const n = shape[dim];
    const parts: string[] = [];
    for (let i = 0; i < n; i++) {
      if (elide && n > 2 * EDGE && i === EDGE) {
        parts.push('...');
        i = n - EDGE - 1;
        continue;
      }
      parts.push(render(dim + 1, offset + i * strides[dim]));
    }
    return `[${parts.join(', ')}]`;
  };
  const extras = [`shape=[${shape.join(', ')}]`];
  if (t.dtype !== 'float32') extras.push(`dtype=${t.dtype}`);
  if (t.op !== '') extras.push(`op=${t.op}`);
  else if (t.requiresGrad) extras.push('requiresGrad=true');
  if (t.label !== '') extras.push(`label=${JSON.stringify(t.label)}`);
  return `tensor(${render(0, 0)}, ${extras.join(', ')})`;
}
