/**
 * Turns ONNX's own onnx.proto (scripts/onnx/onnx.proto, with its licence header) into
 * lib/io/onnx/onnx-schema.ts: the protobuf.js JSON descriptor of the same messages, which
 * protobufjs/light reads at run time (no .proto parser in the library, nothing read from disk,
 * so it works in a browser). Run by a developer after changing the .proto; never at install.
 *
 *   node scripts/onnx-schema.js           writes lib/io/onnx/onnx-schema.ts
 *   node scripts/onnx-schema.js --check   exits 1 if the committed file differs (spec/io/onnx-schema.spec.ts)
 */
'use strict';
const fs = require('fs');
const path = require('path');
const protobuf = require('protobufjs');

const root = path.resolve(__dirname, '..');
const target = path.join(root, 'lib', 'io', 'onnx', 'onnx-schema.ts');

function generate() {
  const descriptor = protobuf.loadSync(path.join(__dirname, 'onnx', 'onnx.proto')).toJSON();
  return [
    '/**',
    " * ONNX's message definitions (onnx.proto of ONNX 1.12, IR version 8; Copyright (c) ONNX Project",
    ' * Contributors, Apache License 2.0) as a protobuf.js JSON descriptor. Generated from',
    ' * scripts/onnx/onnx.proto by scripts/onnx-schema.js: do not edit.',
    ' */',
    `export const ONNX_SCHEMA = ${JSON.stringify(JSON.stringify(descriptor))};`,
    '',
  ].join('\n');
}

if (require.main === module) {
  const text = generate();
  if (process.argv.includes('--check')) {
    const same = fs.existsSync(target) && fs.readFileSync(target, 'utf8') === text;
    if (!same) console.error(`${path.relative(root, target)} is stale: run node scripts/onnx-schema.js`);
    process.exit(same ? 0 : 1);
  }
  fs.writeFileSync(target, text);
  console.log(`wrote ${path.relative(root, target)} (${text.length} bytes)`);
}

module.exports = { generate, target };
