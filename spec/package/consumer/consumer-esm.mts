// A strict TypeScript consumer (compiled with skipLibCheck off, so the shipped .d.ts are checked too).
import { MLP, SGD, Value, fromCheckpoint, toCheckpoint, toSvg, type ValueOptions } from 'stopgrad';
import { save, saveGraph } from 'stopgrad/node';

const options: ValueOptions = { label: 'x' };
const x = new Value(3, options);
const y: Value = x.mul(x).add(1);
y.backward();
export const grad: number = x.grad;
// @ts-expect-error internal node fields are stripped from the published types
export const hidden = x._rest;
const model = new MLP(2, [4, 1]);
const opt = new SGD(model.parameters(), { lr: 0.1 });
opt.step();
const text: string = toCheckpoint(model);
fromCheckpoint(model, text);
export const written: Promise<void> = save(model, 'model.json');
export const drawn: Promise<[string, void]> = Promise.all([toSvg(y), saveGraph(y, 'graph.svg')]);
// @ts-expect-error save is not in the browser-safe core entry
export { save as notThere } from 'stopgrad';
