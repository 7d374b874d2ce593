// A CommonJS consumer: require('stopgrad') and require('stopgrad/node'), printing what it saw as JSON.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { Value, MLP, toCheckpoint, fromCheckpoint, toSvg, seededRng } = require('stopgrad');
const { save, load, saveGraph } = require('stopgrad/node');

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
      svg: svg.includes('<svg') && fs.readFileSync(path.join(dir, 'graph.svg'), 'utf8') === svg,
    }),
  );
  fs.rmSync(dir, { recursive: true, force: true });
})();
