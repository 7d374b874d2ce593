/**
 * Draws the graph of a small model where gradient is stopped in three ways (a frozen weight,
 * an input detached in place, a stopGradient copy), writes it as SVG, prints it as text, and
 * asks explainGrad why one weight gets no gradient.
 *
 * Usage: npx ts-node examples/draw-graph.ts [path.svg]   (default: graph.svg)
 */
import * as path from 'path';
import { Value, explainGrad, outline, stopGradient } from '../lib';
import { saveGraph } from '../lib/node';

/** The example model: out = tanh(w1*x1 + w2*h + w3*sg(x3) + b), with w2 frozen and h cut by detach_(). */
export function exampleGraph() {
  const x1 = new Value(0.5, { label: 'x1' });
  const x2 = new Value(-1.5, { label: 'x2' });
  const x3 = new Value(2, { label: 'x3' });
  const w1 = new Value(0.8, { label: 'w1' });
  const w2 = new Value(-0.4, { label: 'w2' }).requiresGrad_(false);
  const w3 = new Value(0.3, { label: 'w3' });
  const b = new Value(0.1, { label: 'b' });
  const h = x2.mul(2).add(1);
  h.label = 'h';
  h.detach_();
  const out = Value.dot([w1, w2, w3], [x1, h, stopGradient(x3)], b).tanh();
  out.label = 'out';
  out.backward();
  return { out, x2, x3, w2 };
}

/** Writes the example's graph to `file` and returns its outline and an explanation. */
export async function drawExample(file: string): Promise<{ outline: string; why: string }> {
  const { out, x2 } = exampleGraph();
  await saveGraph(out, file);
  return { outline: outline(out), why: explainGrad(out, x2).message };
}

if (require.main === module) {
  const file = path.resolve(process.argv[2] ?? 'graph.svg');
  drawExample(file)
    .then(({ outline: text, why }) => {
      console.log(text);
      console.log(`\nWhy does x2 get no gradient? ${why}`);
      console.log(`\nGraph drawn to ${file}`);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
