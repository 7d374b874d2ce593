/**
 * Anomaly detection: an explicit debugging mode, like grad mode. Inside `detectAnomaly(fn)`,
 * every op remembers where it was created, and a backward rule that turns a finite gradient
 * into NaN or ±Infinity throws an Error naming the op and that place.
 */
import { runInScope } from './sync-scope';

let anomalyDetection = false;

/** Whether `detectAnomaly` is active (ops record creation sites, passes check gradients). @internal */
export function isDetectingAnomalies(): boolean {
  return anomalyDetection;
}

/**
 * Runs `fn` with anomaly detection on and returns its result. Graphs built inside remember
 * where each op was created; any backward pass run inside throws as soon as a rule produces a
 * NaN or ±Infinity gradient from a finite one, naming the op and the line that created it.
 * It slows everything down: use it to find a bug, not in training.
 *
 * @example
 * detectAnomaly(() => {
 *   const x = new Value(0);
 *   x.sqrt().backward();      // throws: 'sqrt' produced Infinity ... created at <your file:line>
 * });
 */
export function detectAnomaly<T>(fn: () => T): T {
  return runInScope('detectAnomaly', fn, () => {
    const previous = anomalyDetection;
    anomalyDetection = true;
    return () => {
      anomalyDetection = previous;
    };
  });
}

/**
 * Frames in stopgrad's own engine, op and autograd files, wherever the package was built to
 * (lib/ from source, dist/ when installed): the folder above this file's.
 */
const OWN_FRAME = ownFramePattern(typeof __dirname === 'string' ? __dirname : '');

function ownFramePattern(engineDir: string): RegExp {
  const root = engineDir.replace(/[\\/]engine$/, '');
  if (root === '' || root === engineDir) return /[\\/](lib|dist)[\\/](engine|ops|autograd)[\\/]/;
  const escaped = root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`${escaped}[\\\\/](engine|ops|autograd)[\\\\/]`);
}

/** The first stack frame outside stopgrad's own files, for naming where a node was created. @internal */
export function creationSite(): string {
  const stack = new Error().stack ?? '';
  const frames = stack.split('\n').slice(1).map((line) => line.trim());
  const outside = frames.find((frame) => !OWN_FRAME.test(frame) && !frame.includes('node:internal'));
  return outside ?? frames[frames.length - 1] ?? '(unknown place)';
}
