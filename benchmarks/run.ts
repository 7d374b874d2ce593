/**
 * `npm run bench`: every benchmark, each figure beside references timed in the same process.
 * `--only=mlp|chain|tensor|wasm|wasm-engine|mnist` runs one section (wasm includes wasm-engine); `--rounds=N` sets the MNIST section's rounds. `--quick` runs smaller sizes (a smoke run for CI); `--semi-space=64` also re-runs the MLP
 * step in a child process with `node --max-semi-space-size=64`, to show the effect of the flag.
 */
import { execFileSync } from 'child_process';
import { canCollectGarbage } from './harness';
import { deepChainBenchmark } from './deep-chain';
import { mlpStepBenchmark } from './mlp-step';
import { tensorBenchmark } from './tensor/peers';
import { stopgradTensorMatmul, stopgradTensorMlp } from './tensor/stopgrad-tensor';
import { wasmKernelsBenchmark } from './wasm-kernels';
import { mnistBenchmark } from './mnist';
import { wasmEngineBenchmark } from './wasm/engine-bench';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const rounds = args.find((a) => a.startsWith('--rounds='))?.slice('--rounds='.length);
const semiSpace = args.find((a) => a.startsWith('--semi-space='))?.slice('--semi-space='.length);

if (!canCollectGarbage()) {
  console.log('note: run with node --expose-gc (npm run bench does) for heap figures and clean rounds');
}
console.log(
  `stopgrad benchmarks (node ${process.version}, flags: ${process.execArgv.filter((a) => a.startsWith('--')).join(' ') || 'none'})`,
);

async function main(): Promise<void> {
  if (only === undefined || only === 'mlp') await mlpStepBenchmark(quick ? 3 : 10, quick ? 3 : 5);
  if (only === undefined || only === 'chain') deepChainBenchmark(quick ? 100_000 : 1_000_000);
  if (only === undefined || only === 'tensor')
    await tensorBenchmark({ quick, stopgrad: { mlp: stopgradTensorMlp, matmul: stopgradTensorMatmul } });
  if (only === undefined || only === 'wasm') await wasmKernelsBenchmark(quick);
  if (only === undefined || only === 'wasm' || only === 'wasm-engine') await wasmEngineBenchmark(quick);
  if (only === undefined || only === 'mnist')
    await mnistBenchmark(quick, rounds === undefined ? undefined : Number(rounds));
  if (semiSpace !== undefined && (only === undefined || only === 'mlp')) {
    console.log(`\n## The MLP step again with node --max-semi-space-size=${semiSpace}`);
    const flags = [...process.execArgv, `--max-semi-space-size=${semiSpace}`];
    const output = execFileSync(process.execPath, [...flags, __filename, '--only=mlp', ...(quick ? ['--quick'] : [])], {
      encoding: 'utf8',
    });
    console.log(output.split('\n').slice(3).join('\n'));
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
