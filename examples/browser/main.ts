/**
 * The browser example (`npm run example:browser`): trains the two-moons MLP live, one SGD step
 * per task so the page keeps painting, plots the loss and the decision boundary, offers the
 * weights as a download (toCheckpoint), and draws a graph with its gradient stops (toSvg).
 * `#status` carries the run's numbers as data attributes for the headless check.
 */
import { MLP, SGD, Value, makeMoons, noGrad, seededRng, toCheckpoint, toSvg } from 'stopgrad';
import { markedGraph } from './graph';
import { drawBoundary, drawLoss } from './plots';

const STEPS = 100;
const status = document.getElementById('status') as HTMLOutputElement;
const lossCanvas = document.getElementById('loss') as HTMLCanvasElement;
const boundaryCanvas = document.getElementById('boundary') as HTMLCanvasElement;
const download = document.getElementById('download') as HTMLAnchorElement;
const { xs, ys } = makeMoons(100, { noise: 0.1, rng: seededRng(1337) });

/** Mean hinge loss plus L2, as in the Node demo; and the accuracy. */
function hinge(model: MLP): { loss: Value; accuracy: number } {
  const scores = xs.map((p) => model.call(p)[0]);
  const params = model.parameters();
  const losses = scores.map((s, i) => s.mul(-ys[i]).add(1).relu());
  const loss = Value.sum(losses)
    .mul(1 / losses.length)
    .add(Value.dot(params, params).mul(1e-4));
  const accuracy = scores.filter((s, i) => s.data * ys[i] > 0).length / scores.length;
  return { loss, accuracy };
}

let run = 0;

function train(): void {
  const current = ++run;
  const model = new MLP(2, [16, 16, 1], { rng: seededRng(42 + current - 1) });
  const opt = new SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
  const losses: number[] = [];
  const started = performance.now();
  download.hidden = true;
  status.dataset.done = 'false';
  const step = (): void => {
    if (current !== run) return;
    const { loss, accuracy } = hinge(model);
    opt.zeroGrad();
    loss.backward();
    opt.step();
    losses.push(loss.data);
    const done = losses.length === STEPS;
    drawLoss(lossCanvas, losses, STEPS);
    if (done || losses.length % 10 === 1)
      drawBoundary(boundaryCanvas, (p) => noGrad(() => model.call(p)[0].data), xs, ys);
    status.textContent = `step ${losses.length}/${STEPS}  loss ${loss.data.toFixed(4)}  accuracy ${(accuracy * 100).toFixed(0)}%`;
    status.dataset.losses = JSON.stringify(losses);
    status.dataset.accuracy = String(accuracy);
    if (!done) {
      setTimeout(step, 0);
      return;
    }
    status.textContent += `  (done in ${((performance.now() - started) / 1000).toFixed(1)} s)`;
    download.href = URL.createObjectURL(new Blob([toCheckpoint(model)], { type: 'application/json' }));
    download.hidden = false;
    status.dataset.done = 'true';
  };
  step();
}

async function drawGraph(): Promise<void> {
  const box = document.getElementById('graph') as HTMLDivElement;
  try {
    const svg = await toSvg(markedGraph(), { rankdir: 'LR' });
    box.innerHTML = svg.slice(svg.indexOf('<svg'));
  } catch (error) {
    box.textContent = `could not draw the graph: ${(error as Error).message}`;
  }
}

document.getElementById('restart')!.addEventListener('click', train);
train();
void drawGraph();
