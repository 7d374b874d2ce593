/** `nn.Embedding`: a lookup table of learned vectors, one row per index. */
import { gaussian } from '../../data/random';
import { describeForError } from '../../engine/errors';
import { tensor, zeros } from '../../tensor/create';
import { indexSelect } from '../../tensor/ops/indexing';
import { reshape } from '../../tensor/ops/shape';
import { Tensor } from '../../tensor/tensor';
import type { Member } from '../module';
import { type ParameterOptions, TensorModule, checkCount, initOptions } from './base';

/**
 * Row `i` of `weight` [numEmbeddings, embeddingDim] for each index `i` (PyTorch's
 * nn.Embedding); weights start from N(0, 1), as PyTorch's. The output has the indices' shape
 * plus `embeddingDim`; the gradient adds into the rows used.
 *
 * @example
 * const emb = new nn.Embedding(10, 3, { seed: 0 });
 * emb.forward(tensor([[1, 2], [3, 1]])).shape;   // [2, 2, 3]
 */
export class Embedding extends TensorModule {
  /** [numEmbeddings, embeddingDim]. */
  weight: Tensor;

  constructor(
    readonly numEmbeddings: number,
    readonly embeddingDim: number,
    options: ParameterOptions = {},
  ) {
    super();
    const where = 'new nn.Embedding(numEmbeddings, embeddingDim, options)';
    checkCount(where, 'numEmbeddings', numEmbeddings);
    checkCount(where, 'embeddingDim', embeddingDim);
    const { rng, dtype } = initOptions(where, options);
    const weight = zeros([numEmbeddings, embeddingDim], { dtype });
    const data = weight._data;
    for (let i = 0; i < data.length; i++) data[i] = gaussian(rng);
    this.weight = weight.requiresGrad_();
  }

  protected members(): Record<string, Member<Tensor>> {
    return { weight: this.weight };
  }

  protected override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}`;
  }

  /**
   * The rows for `indices`: a Tensor of integer values or (nested) arrays of integers.
   *
   * @example
   * new nn.Embedding(4, 2).forward([0, 3]).shape;   // [2, 2]
   */
  forward(indices: Tensor | readonly number[] | readonly (readonly number[])[]): Tensor {
    let ids: Tensor;
    if (indices instanceof Tensor) ids = indices;
    else if (Array.isArray(indices)) ids = tensor(indices as number[], { dtype: 'float64' });
    else
      throw new TypeError(
        `nn.Embedding.forward(indices): indices must be a Tensor or an array of integers, got ${describeForError(indices)}.`,
      );
    const rows = indexSelect(this.weight, 0, reshape(ids, [ids.size]));
    return reshape(rows, [...ids.shape, this.embeddingDim]);
  }
}
