/**
 * The MLP benchmark task, micrograd's own demo: an MLP 2-16-16-1 (relu hidden layers, linear
 * output) on 100 two-moons points, loss = mean hinge (1 - y*score).relu() + 1e-4 * sum of
 * squared parameters, full batch, SGD with lr 0.1. Every engine starts from the same weights
 * and adds in the same order, so all produce the same losses.
 */
import { makeMoons, seededRng } from '../../lib';

export const SIZES = [2, 16, 16, 1] as const;
export const LEARNING_RATE = 0.1;
export const ALPHA = 1e-4;

/** One engine's implementation of the task. */
export interface MlpEngine {
  name: string;
  /** forward + zero grad + backward + SGD update; returns the loss before the update. */
  step(): number;
  /** Builds the loss graph once (no backward) and returns its root, for measuring memory. */
  buildLoss(): unknown;
  /** How many graph nodes one step builds. */
  nodesPerStep(): number;
}

/** The data set: 100 points with labels -1/+1, from a fixed seed. */
export function taskData(): { xs: [number, number][]; ys: number[] } {
  return makeMoons(100, { noise: 0.1, rng: seededRng(1337) });
}

/**
 * Initial weights, micrograd's way: w ~ uniform(-1, 1), b = 0. `weights[l][j]` is neuron j of
 * layer l as [w0, w1, ..., b]; parameters are ordered layer by layer, neuron by neuron, w then b.
 */
export function initialWeights(): number[][][] {
  const rng = seededRng(42);
  const layers: number[][][] = [];
  for (let l = 0; l + 1 < SIZES.length; l++) {
    const layer: number[][] = [];
    for (let j = 0; j < SIZES[l + 1]; j++) {
      const neuron: number[] = [];
      for (let i = 0; i < SIZES[l]; i++) neuron.push(rng() * 2 - 1);
      neuron.push(0);
      layer.push(neuron);
    }
    layers.push(layer);
  }
  return layers;
}
