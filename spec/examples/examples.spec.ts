/** Every example runs in a fast mode here, and its claim is asserted. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCurriculum } from '../../examples/curriculum';
import { runDemo } from '../../examples/demo';
import { drawExample } from '../../examples/draw-graph';
import { runGan } from '../../examples/gan-scalar';
import { runMetaLearning } from '../../examples/meta-learning';
import { runStraightThrough } from '../../examples/straight-through';
import { runTbptt } from '../../examples/tbptt';

const quiet = () => undefined;

test('demo: two moons to >= 97%, then a new head on a frozen body that stays bit-for-bit unchanged', () => {
  const r = runDemo(quiet);
  expect(r.detachedGrad).toBe(9);
  expect(r.accuracy).toBeGreaterThanOrEqual(0.97);
  expect(r.headAccuracy).toBeGreaterThanOrEqual(0.9);
  expect(r.frozenUnchanged).toBe(true);
  expect(r.frozenGradsZero).toBe(true);
}, 30_000);

test('GAN: D steps on G(z).detach() never touch G, G steps with D frozen never touch D; the mean moves to the data', () => {
  const r = runGan(quiet);
  expect(r.generatorUntouchedByD).toBe(true);
  expect(r.discriminatorUntouchedByG).toBe(true);
  expect(Math.abs(r.startMean - r.dataMean)).toBeGreaterThan(3);
  expect(Math.abs(r.finalMean - r.dataMean)).toBeLessThan(0.5);
}, 30_000);

test('straight-through: quantised weights learn the exact target; plain rounding learns nothing', () => {
  const r = runStraightThrough(quiet);
  expect(r.quantisedWeights).toEqual([3, -2]);
  expect(r.finalLoss).toBe(0);
  expect(r.plainRoundingWeights).toEqual([0, 0]);
});

test('TBPTT: with detach_ the graph per chunk is constant; without it, it grows', () => {
  const r = runTbptt(quiet, 300);
  expect(r.nodesPerChunk.min).toBe(r.nodesPerChunk.max);
  expect(r.withoutDetach).toEqual([87, 137, 187, 237, 287]);
  expect(r.nodesPerChunk.max).toBe(87);
  expect(r.lastLoss).toBeLessThan(r.firstLoss / 5);
}, 30_000);

test('curriculum and multi-task: frozen layers unchanged at every stage; losses move only what they may', () => {
  const r = runCurriculum(quiet);
  expect(r.stages.map((s) => s.frozenUnchanged)).toEqual([true, true, true]);
  expect(r.stages[2].loss).toBeLessThan(r.stages[0].loss);
  expect(r.headBUntouchedByA).toBe(true);
  expect(r.bodyUntouchedByB).toBe(true);
}, 30_000);

test('first-order MAML: one adaptation step from the meta-learned init beats a random init', () => {
  const r = runMetaLearning(quiet, 250);
  expect(r.metaLoss).toBeLessThan(r.randomInitLoss / 2);
}, 60_000);

test('draw-graph: writes an SVG with every labelled node, and explains the detached input', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stopgrad-draw-'));
  const file = path.join(dir, 'graph.svg');
  const { outline: text, why } = await drawExample(file);
  const svg = fs.readFileSync(file, 'utf8');
  for (const label of ['out', 'b', 'w1', 'x1', 'w2', 'h', 'w3']) expect(svg).toContain(`${label} | data`);
  expect(text).toContain('[frozen]');
  expect(why).toMatch(/cut at 'h', which was detached in place/);
  fs.rmSync(dir, { recursive: true, force: true });
}, 20_000);
