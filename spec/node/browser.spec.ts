/**
 * What a bundler for the browser gets for `stopgrad/node` (lib/node/browser.ts): the same names
 * as the Node entry, so an app that only mentions them still builds, each Node-only function
 * failing with an Error that says what to use instead.
 */
import * as browser from '../../lib/node/browser';
import * as node from '../../lib/node';

test('the browser build of stopgrad/node exports exactly the Node entry’s names', () => {
  expect(Object.keys(browser).sort()).toEqual(Object.keys(node).sort());
});

test.each([
  ['save', 'toCheckpoint'],
  ['load', 'fromCheckpoint'],
  ['saveGraph', 'toSvg'],
  ['saveSafetensors', 'toSafetensors'],
  ['loadSafetensors', 'loadSafetensorsBytes'],
  ['exportOnnx', 'toOnnx'],
] as const)('%s rejects in a browser, naming %s', async (name, instead) => {
  await expect(browser[name]()).rejects.toThrow(instead);
});

test('useWasmThreads throws in a browser; wasmThreads() is 1 there', () => {
  expect(() => browser.useWasmThreads(2)).toThrow(
    'useWasmThreads: stopgrad/node needs Node (worker_threads over a shared wasm memory). In a browser the wasm backend runs on one thread.',
  );
  expect(browser.wasmThreads()).toBe(1);
});
