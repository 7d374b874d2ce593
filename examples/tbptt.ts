/**
 * Truncated back-propagation through time: a one-unit recurrent model,
 * h_t = tanh(wh*h_{t-1} + wx*x_t + b), predicting x_{t+1} = wo*h_t on a sine wave, trained in
 * chunks of 10 steps. Between chunks the hidden state is cut in place with `h.detach_()`, so
 * every chunk's graph has the same size however long training runs (1,000 chunks here),
 * while the state itself carries on.
 */
import { Adam, Value } from '../lib';

export interface TbpttResult {
  chunks: number;
  /** Graph sizes of the first chunks when the state is NOT detached: they grow with every chunk. */
  withoutDetach: number[];
  nodesPerChunk: { min: number; max: number };
  firstLoss: number;
  lastLoss: number;
}

/** Every Value reachable from `root` (iteratively). */
function graphSize(root: Value): number {
  const seen = new Set<Value>([root]);
  const stack = [root];
  while (stack.length > 0) {
    for (const p of stack.pop()!.parents) {
      if (!seen.has(p)) {
        seen.add(p);
        stack.push(p);
      }
    }
  }
  return seen.size;
}

export function runTbptt(log: (line: string) => void = console.log, chunks = 1000, chunkLength = 10): TbpttResult {
  const withoutDetach = train(5, chunkLength, false, () => undefined).sizes;
  log(`without detach_: the graph of chunks 1-5 has ${withoutDetach.join(', ')} nodes, growing with every chunk`);
  const { sizes, losses } = train(chunks, chunkLength, true, log);
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  return {
    chunks,
    withoutDetach,
    nodesPerChunk: { min: Math.min(...sizes), max: Math.max(...sizes) },
    firstLoss: mean(losses.slice(0, 10)),
    lastLoss: mean(losses.slice(-10)),
  };
}

function train(
  chunks: number,
  chunkLength: number,
  detach: boolean,
  log: (line: string) => void,
): { sizes: number[]; losses: number[] } {
  const [wh, wx, b, wo] = [0.5, 0.5, 0, 0.5].map((v) => new Value(v));
  const opt = new Adam([wh, wx, b, wo], { lr: 0.01 });
  const signal = (t: number) => Math.sin(0.3 * t);
  let h = new Value(0, { requiresGrad: false });
  const sizes: number[] = [];
  const losses: number[] = [];
  for (let c = 0; c < chunks; c++) {
    const terms: Value[] = [];
    for (let k = 0; k < chunkLength; k++) {
      const t = c * chunkLength + k;
      h = wh
        .mul(h)
        .add(wx.mul(signal(t)))
        .add(b)
        .tanh();
      terms.push(
        wo
          .mul(h)
          .sub(signal(t + 1))
          .pow(2),
      );
    }
    const loss = Value.sum(terms).div(chunkLength);
    sizes.push(graphSize(loss));
    opt.zeroGrad();
    loss.backward();
    opt.step();
    losses.push(loss.data);
    if (detach) h.detach_(); // keep the state's value, cut its history: the next chunk starts a fresh graph
    if ((c + 1) % 200 === 0)
      log(`chunk ${String(c + 1).padStart(4)}  loss ${loss.data.toFixed(5)}  graph ${sizes[c]} nodes`);
  }
  return { sizes, losses };
}

if (require.main === module) {
  const r = runTbptt();
  const ok =
    r.nodesPerChunk.min === r.nodesPerChunk.max &&
    r.lastLoss < r.firstLoss / 5 &&
    r.withoutDetach[4] > r.withoutDetach[0];
  console.log(
    `${ok ? 'OK' : 'FAILED'}: ${r.chunks} chunks, every chunk's graph ${r.nodesPerChunk.min}-${r.nodesPerChunk.max} nodes (constant); ` +
      `loss ${r.firstLoss.toFixed(4)} -> ${r.lastLoss.toFixed(5)}`,
  );
  if (!ok) process.exit(1);
}
