import * as fs from 'fs';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const schema = require('../../../scripts/onnx-schema.js') as { generate: () => string; target: string };

test('lib/io/onnx/onnx-schema.ts is generated from the committed onnx.proto (run node scripts/onnx-schema.js)', () => {
  expect(fs.readFileSync(schema.target, 'utf8')).toBe(schema.generate());
});
