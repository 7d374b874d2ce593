/**
 * Which backend new tensors use: the explicit backend mode (like grad mode, set by the user,
 * never changed behind their back). Plain TypeScript by default.
 */
import type { Backend } from '../backends/backend';
import { jsBackend } from '../backends/js';

const backend: Backend = jsBackend;

/** The backend new tensors are allocated on and ops run with. @internal */
export function currentBackend(): Backend {
  return backend;
}

/**
 * The name of the backend tensor ops run on ('js' unless `setBackend` chose another).
 * @example getBackend()   // 'js'
 */
export function getBackend(): string {
  return backend.name;
}
