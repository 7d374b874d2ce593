// An ES module consumer: import from 'stopgrad' and 'stopgrad/node', printing what it saw as JSON.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Value, MLP, toCheckpoint, fromCheckpoint, toSvg, seededRng, tensor } from 'stopgrad';
import { save, load, useWasmThreads, wasmThreads } from 'stopgrad/node';

const x = new Value(3);
const y = x.mul(x).add(1);
y.backward();
const model = new MLP(2, [3, 1], { rng: seededRng(1) });
const copy = new MLP(2, [3, 1], { rng: seededRng(2) });
fromCheckpoint(copy, toCheckpoint(model));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stopgrad-esm-'));
const again = new MLP(2, [3, 1], { rng: seededRng(3) });
// save/load check `module instanceof Module`: this passes only if both entries share one Module class.
await save(model, path.join(dir, 'model.json'));
await load(again, path.join(dir, 'model.json'));
const svg = await toSvg(y);
fs.rmSync(dir, { recursive: true, force: true });
const here = path.dirname(fileURLToPath(import.meta.url));
console.log(
  JSON.stringify({
    entry: path.relative(path.join(here, 'node_modules', 'stopgrad'), fileURLToPath(import.meta.resolve('stopgrad'))),
    data: y.data,
    grad: x.grad,
    sameWeights: [copy, again].map((m) => JSON.stringify(m.stateDict()) === JSON.stringify(model.stateDict())),
    threads: threadedMatmul(),
    svg: svg.includes('<svg'),
  }),
);

/** Two threads share a 64x64x64 matmul (minFlops 0): the workers run from the built package. */
function threadedMatmul() {
  useWasmThreads(2, { minFlops: 0 });
  const a = tensor(Array.from({ length: 64 }, (_, i) => Array.from({ length: 64 }, (_, j) => ((i + j) % 5) - 2)));
  const sum = a.matmul(a).sum().item();
  const threads = wasmThreads();
  useWasmThreads(1);
  return [threads, sum, a.matmul(a).sum().item()];
}
