#!/usr/bin/env bash
# Counts CPU instructions (valgrind's callgrind) per warm MLP step and per deep-chain link.
# They move far less than wall time on a shared machine, but not to zero under
# node --single-threaded (three runs of the same code: within 4% per MLP step, 9% per backward
# link), so compare several runs before and after a change. Takes a few minutes.
# Usage: benchmarks/count-instructions.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "valgrind is not installed"; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cat > "$out/tsconfig.json" <<JSON
{ "extends": "$PWD/tsconfig.json", "compilerOptions": { "noEmit": false, "outDir": "$out/js", "rootDir": "$PWD", "types": ["node"], "typeRoots": ["$PWD/node_modules/@types"] },
  "include": ["$PWD/lib", "$PWD/benchmarks"] }
JSON
npx tsc -p "$out/tsconfig.json"
ln -s "$PWD/node_modules" "$out/js/node_modules"
count() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null --smc-check=all-non-file \
    node --single-threaded "$@" 2>&1 | awk '/Collected/ {print $4}'
}
mlp30=$(count "$out/js/benchmarks/instructions/mlp-steps.js" 30)
mlp130=$(count "$out/js/benchmarks/instructions/mlp-steps.js" 130)
echo "MLP step (nn.MLP, warm): $(( (mlp130 - mlp30) / 100 / 1000 )) thousand instructions per step"
base=$(count "$out/js/benchmarks/instructions/chain.js" 0)
build=$(count "$out/js/benchmarks/instructions/chain.js" 300000)
back=$(count "$out/js/benchmarks/instructions/chain.js" 300000 backward)
echo "deep chain (300,000 links): build $(( (build - base) / 300000 )), backward $(( (back - build) / 300000 )) instructions per link"
