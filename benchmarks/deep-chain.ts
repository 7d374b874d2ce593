/**
 * Deep chain: y = y.mul(1.0001).add(0.0001) for N links from a leaf x, then backward();
 * dy/dx must be 1.0001^N. Each engine runs in a fresh child process (a clean heap for the
 * bytes-per-link figure). The naive port's recursive sort overflows the stack: we find where.
 *
 * Run directly: node --expose-gc -r ts-node/register/transpile-only benchmarks/deep-chain.ts <engine> <links>
 */
import { execFileSync } from 'child_process';
import { Value } from '../lib';
import { collectGarbage, formatMs, keepAlive, printTable } from './harness';
import { NaiveValue } from './reference/naive-engine';

export type ChainEngine = 'stopgrad' | 'naive-iterative' | 'naive-recursive';

export interface ChainResult {
  engine: ChainEngine;
  links: number;
  buildMs: number;
  backwardMs: number;
  bytesPerLink: number;
  relativeError: number;
  error?: string;
}

/** Builds and differentiates one chain in this process. */
export function measureChain(engine: ChainEngine, links: number): ChainResult {
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  let start = performance.now();
  const x = engine === 'stopgrad' ? new Value(1) : new NaiveValue(1);
  let y: Value | NaiveValue = x;
  if (y instanceof Value) {
    let v: Value = y;
    for (let i = 0; i < links; i++) v = v.mul(1.0001).add(0.0001);
    y = v;
  } else {
    let v: NaiveValue = y;
    for (let i = 0; i < links; i++) v = v.mul(1.0001).add(0.0001);
    y = v;
  }
  const buildMs = performance.now() - start;
  collectGarbage();
  const bytesPerLink = (process.memoryUsage().heapUsed - before) / links;
  start = performance.now();
  try {
    if (y instanceof Value) y.backward();
    else if (engine === 'naive-recursive') y.backward();
    else y.backwardIterative();
  } catch (error) {
    return {
      engine,
      links,
      buildMs,
      backwardMs: NaN,
      bytesPerLink,
      relativeError: NaN,
      error: (error as Error).constructor.name,
    };
  }
  const backwardMs = performance.now() - start;
  keepAlive(y);
  return { engine, links, buildMs, backwardMs, bytesPerLink, relativeError: Math.abs(x.grad / 1.0001 ** links - 1) };
}

/** The longest chain whose backward() the naive recursive sort survives (to within 1%). */
export function naiveRecursionLimit(): number {
  const works = (n: number) => measureChain('naive-recursive', n).error === undefined;
  let ok = 100;
  let bad = 200;
  while (works(bad)) [ok, bad] = [bad, bad * 2];
  while (bad - ok > ok / 100) {
    const mid = Math.floor((ok + bad) / 2);
    if (works(mid)) ok = mid;
    else bad = mid;
  }
  return ok;
}

/** Runs this file in a fresh Node process with the same flags, and parses the JSON it prints. */
function inChild(args: string[]): unknown {
  const out = execFileSync(process.execPath, [...process.execArgv, __filename, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

/** Runs `engine` on `links` in a fresh Node process (a clean heap). */
export function measureChainInChild(engine: ChainEngine, links: number): ChainResult {
  try {
    return inChild([engine, String(links)]) as ChainResult;
  } catch (error) {
    const reason = String((error as { stderr?: string }).stderr ?? error).includes('heap out of memory')
      ? 'out of memory'
      : 'crashed';
    return { engine, links, buildMs: NaN, backwardMs: NaN, bytesPerLink: NaN, relativeError: NaN, error: reason };
  }
}

/** The deep-chain section of `npm run bench`: stopgrad three times (median shown), the naive port once. */
export function deepChainBenchmark(links: number): ChainResult[] {
  console.log(`\n## Deep chain: y = y.mul(1.0001).add(0.0001), ${links.toLocaleString('en')} links, then backward()\n`);
  const { limit } = inChild(['limit']) as { limit: number };
  console.log(
    `naive port with micrograd's recursive sort: overflows the stack beyond ${limit.toLocaleString('en')} links (RangeError)\n`,
  );
  const runs = [0, 1, 2].map(() => measureChainInChild('stopgrad', links));
  const totals = runs.map((r) => r.buildMs + r.backwardMs);
  const ours = runs[totals.indexOf([...totals].sort((a, b) => a - b)[1])];
  const naive = measureChainInChild('naive-iterative', links);
  const names: Record<ChainEngine, string> = {
    stopgrad: 'stopgrad (median of 3 runs)',
    'naive-iterative': 'naive port, explicit-stack sort',
    'naive-recursive': 'naive port, recursive sort',
  };
  const results = [ours, naive];
  printTable(
    ['engine', 'build ms', 'backward ms', 'total ms', 'bytes/link', 'dy/dx rel. error'],
    results.map((r) =>
      r.error !== undefined && Number.isNaN(r.buildMs)
        ? [names[r.engine], r.error, '', '', '', '']
        : [
            names[r.engine],
            formatMs(r.buildMs),
            formatMs(r.backwardMs),
            formatMs(r.buildMs + r.backwardMs),
            r.bytesPerLink.toFixed(0),
            r.relativeError.toExponential(1),
          ],
    ),
  );
  if (!runs.every((r) => r.relativeError < 1e-9))
    throw new Error(`deep chain: dy/dx is off (expected 1.0001^N): ${runs.map((r) => r.relativeError).join(', ')}`);
  console.log(
    `\nstopgrad: build + backward ${formatMs(ours.buildMs + ours.backwardMs)} ms (runs: ${totals.map(formatMs).join(', ')}; target < 1500), ` +
      `${ours.bytesPerLink.toFixed(0)} bytes/link (target < 300)` +
      (Number.isNaN(naive.buildMs)
        ? ''
        : `; ${((naive.buildMs + naive.backwardMs) / (ours.buildMs + ours.backwardMs)).toFixed(1)}x faster and ${(naive.bytesPerLink / ours.bytesPerLink).toFixed(1)}x smaller than the naive port`),
  );
  return results;
}

if (require.main === module) {
  const [engine, links] = process.argv.slice(2);
  console.log(
    JSON.stringify(
      engine === 'limit' ? { limit: naiveRecursionLimit() } : measureChain(engine as ChainEngine, Number(links)),
    ),
  );
}
