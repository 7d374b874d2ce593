/** `npm run repl`: TypeScript at the prompt, the API in scope, short printed forms. */
import { execFileSync } from 'child_process';
import * as path from 'path';

test('the REPL evaluates TypeScript with the API in scope and prints values, modules and optimisers short', () => {
  const root = path.resolve(__dirname, '..', '..');
  const input = [
    'new Value(3).mul(2)',
    'const m = new MLP(2, [4, 1]); m',
    'new SGD(m.parameters(), { lr: 0.1 })',
    'const n: number = 2; n * 3',
    '',
  ].join('\n');
  const output = execFileSync(
    process.execPath,
    [require.resolve('ts-node/dist/bin.js'), '--transpile-only', 'examples/repl.ts'],
    { cwd: root, input, encoding: 'utf8' },
  );
  const answers = output
    .split('\n> ')
    .slice(1)
    .map((s) => s.trim());
  expect(answers).toEqual([
    'Value(data=6, grad=0)',
    [
      'MLP(2 -> 4 -> 1; 17 parameters)',
      '  (layers.0): Layer(2 -> 4, relu; 12 parameters)',
      '    (neurons): 4 x Neuron(2 inputs, relu; 3 parameters)',
      '  (layers.1): Layer(4 -> 1, linear; 5 parameters)',
      '    (neurons.0): Neuron(4 inputs, linear; 5 parameters)',
    ].join('\n'),
    'SGD(lr=0.1, momentum=0, dampening=0, weightDecay=0, nesterov=false; 17 parameters)',
    '6',
    '',
  ]);
}, 180_000);
