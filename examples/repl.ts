/**
 * `npm run repl`: a TypeScript REPL with the whole stopgrad API already imported, so you can
 * type `new Value(3).mul(2)` straight away. Values print short: `Value(data=6, grad=0)`.
 */
import * as path from 'path';
import { createRepl, create } from 'ts-node';
import * as stopgrad from '../lib';

const names = Object.keys(stopgrad).filter((name) => name !== 'default');
const entry = path.resolve(__dirname, '..', 'lib').replace(/\\/g, '/');

const repl = createRepl();
repl.setService(create({ ...repl.evalAwarePartialHost, transpileOnly: true, compilerOptions: { module: 'node16', moduleResolution: 'node16' } }));
console.log(`stopgrad REPL. In scope: ${names.join(', ')}.`);
console.log("Try: const x = new Value(3); const y = x.mul(x); y.backward(); x.grad");
repl.start();
repl.evalCode(`import { ${names.join(', ')} } from '${entry}';\n`);
