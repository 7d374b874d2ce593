// A CommonJS consumer: require('stopgrad') and require('stopgrad/node'), printing what it saw as JSON.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { Value, MLP, toCheckpoint, fromCheckpoint, toSvg, seededRng, tensor } = require('stopgrad');
const { save, load, saveGraph, useWasmThreads, wasmThreads } = require('stopgrad/node');

(async () => {
  const x = new Value(3);
  const y = x.mul(x).add(1);
  y.backward();
  const model = new MLP(2, [3, 1], { rng: seededRng(1) });
  const copy = new MLP(2, [3, 1], { rng: seededRng(2) });
  fromCheckpoint(copy, toCheckpoint(model));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stopgrad-cjs-'));
  const file = path.join(dir, 'model.json');
  const again = new MLP(2, [3, 1], { rng: seededRng(3) });
  await save(model, file);
  await load(again, file);
  await saveGraph(y, path.join(dir, 'graph.svg'));
  const svg = await toSvg(y);
  console.log(
    JSON.stringify({
      entry: path.relative(path.join(__dirname, 'node_modules', 'stopgrad'), require.resolve('stopgrad')),
      data: y.data,
      grad: x.grad,
      sameWeights: [copy, again].map((m) => JSON.stringify(m.stateDict()) === JSON.stringify(model.stateDict())),
      threads: threadedMatmul(),
      svg: svg.includes('<svg') && fs.readFileSync(path.join(dir, 'graph.svg'), 'utf8') === svg,
    }),
  );
  fs.rmSync(dir, { recursive: true, force: true });
})();

/** Two threads share a 64x64x64 matmul (minFlops 0): the workers run from the built package. */
function threadedMatmul() {
  useWasmThreads(2, { minFlops: 0 });
  const a = tensor(Array.from({ length: 64 }, (_, i) => Array.from({ length: 64 }, (_, j) => ((i + j) % 5) - 2)));
  const sum = a.matmul(a).sum().item();
  const threads = wasmThreads();
  useWasmThreads(1);
  return [threads, sum, a.matmul(a).sum().item()];
}
