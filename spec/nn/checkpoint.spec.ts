import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MLP, Module, Neuron, Value, fromCheckpoint, seededRng, toCheckpoint } from '../../lib';
import { load, save } from '../../lib/node';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stopgrad-checkpoint-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('save / load', () => {
  test('round trip is exact for every double, -0 and subnormals included', async () => {
    const model = new MLP(2, [3, 1], { rng: seededRng(1) });
    const special = [-0, 5e-324, -2.2250738585072014e-308, 1.7976931348623157e308, 0.1 + 0.2, NaN, Infinity, -Infinity];
    model.parameters().forEach((p, i) => {
      if (i < special.length) p.data = special[i];
    });
    const file = path.join(dir, 'model.json');
    await save(model, file);
    const copy = new MLP(2, [3, 1], { rng: seededRng(2) });
    await load(copy, file);
    copy.parameters().forEach((p, i) => expect(Object.is(p.data, model.parameters()[i].data)).toBe(true));
    const files = await fs.readdir(dir);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  test('a save that fails leaves no temporary file and the old checkpoint intact', async () => {
    const file = path.join(dir, 'keep.json');
    await save(new Neuron(2), file);
    const before = await fs.readFile(file, 'utf8');
    await expect(save(new Neuron(2), path.join(dir, 'no-such-dir', 'x.json'))).rejects.toMatchObject({
      code: 'ENOENT',
      message: expect.stringMatching(/^save\(module, path\): cannot access .*no-such-dir.*x\.json \(ENOENT/),
    });
    expect(await fs.readFile(file, 'utf8')).toBe(before);
    expect((await fs.readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  const bad: [string, string, RegExp][] = [
    ['truncated JSON', '{"format": "stopgrad-checkpoint", "version": 1, "param', /not valid JSON/],
    ['an array', '[1, 2, 3]', /expected a JSON object/],
    ['another format', '{"format": "pytorch", "version": 1, "parameters": {}}', /format is "pytorch"/],
    ['a newer version', '{"format": "stopgrad-checkpoint", "version": 3, "parameters": {}}', /version 3/],
    [
      'a missing parameter',
      '{"format": "stopgrad-checkpoint", "version": 1, "parameters": {"w.0": 1, "w.1": 2}}',
      /missing parameter 'b'/,
    ],
    [
      'an unexpected parameter',
      '{"format": "stopgrad-checkpoint", "version": 1, "parameters": {"w.0": 1, "w.1": 2, "b": 0, "w.2": 5}}',
      /has parameter "w.2"/,
    ],
    [
      'a __proto__ key',
      '{"format": "stopgrad-checkpoint", "version": 1, "parameters": {"__proto__": {"polluted": 1}, "w.0": 1, "w.1": 2, "b": 0}}',
      /has parameter "__proto__"/,
    ],
    [
      'a string value',
      '{"format": "stopgrad-checkpoint", "version": 1, "parameters": {"w.0": "1", "w.1": 2, "b": 0}}',
      /'w.0' .* must be a number, got "1"/,
    ],
    [
      'an object value',
      '{"format": "stopgrad-checkpoint", "version": 1, "parameters": {"w.0": {}, "w.1": 2, "b": 0}}',
      /must be a number/,
    ],
  ];

  test.each(bad)('rejects %s, leaving the module unchanged', async (_, text, message) => {
    const file = path.join(dir, 'bad.json');
    await fs.writeFile(file, text);
    const model = new Neuron(2, { rng: seededRng(4) });
    const before = model.stateDict();
    await expect(load(model, file)).rejects.toThrow(message);
    expect(model.stateDict()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('parameters named like Object.prototype members ("__proto__", "constructor") round-trip as plain names', async () => {
    class Odd extends Module {
      constructor(
        readonly a: Value,
        readonly b: Value,
        readonly c: Value,
      ) {
        super();
      }
      protected members() {
        return { ['__proto__']: this.a, constructor: this.b, hasOwnProperty: this.c };
      }
    }
    const file = path.join(dir, 'odd.json');
    await save(new Odd(new Value(1.5), new Value(-2), new Value(3)), file);
    const copy = new Odd(new Value(0), new Value(0), new Value(0));
    await load(copy, file);
    expect([copy.a.data, copy.b.data, copy.c.data]).toEqual([1.5, -2, 3]);
    expect(Object.keys(copy.stateDict())).toEqual(['__proto__', 'constructor', 'hasOwnProperty']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('rejects a file far too large for the model without reading it, and bad arguments', async () => {
    const file = path.join(dir, 'huge.json');
    await fs.writeFile(file, ' '.repeat(1_000_000));
    await expect(load(new Neuron(2), file)).rejects.toThrow(/too large for a checkpoint of 3 parameters/);
    await expect(save({} as Neuron, file)).rejects.toThrow(/module must be a Module/);
    await expect(load(new Neuron(2), '')).rejects.toThrow(/path must be a non-empty string/);
  });
});

describe('toCheckpoint / fromCheckpoint (in memory, every runtime)', () => {
  test('the text is exactly what save writes, and round-trips every double', async () => {
    const model = new MLP(2, [3, 1], { rng: seededRng(1) });
    const special = [-0, 5e-324, 0.1 + 0.2, NaN, -Infinity];
    special.forEach((x, i) => (model.parameters()[i].data = x));
    const file = path.join(dir, 'same.json');
    await save(model, file);
    expect(toCheckpoint(model)).toBe(await fs.readFile(file, 'utf8'));
    const copy = new MLP(2, [3, 1], { rng: seededRng(2) });
    fromCheckpoint(copy, toCheckpoint(model));
    copy.parameters().forEach((p, i) => expect(Object.is(p.data, model.parameters()[i].data)).toBe(true));
  });

  test('bad text or arguments throw, naming fromCheckpoint, and change nothing', () => {
    const model = new Neuron(2, { rng: seededRng(4) });
    const before = model.stateDict();
    expect(() => fromCheckpoint(model, '{"format": "pytorch"}')).toThrow(
      /^fromCheckpoint: the checkpoint is not a stopgrad checkpoint/,
    );
    expect(() => fromCheckpoint(model, ' '.repeat(10_000))).toThrow(
      /fromCheckpoint: the checkpoint is 10000 characters, too large .* \(at most 4327\)/,
    );
    expect(() => fromCheckpoint(model, 42 as unknown as string)).toThrow(/text must be a string/);
    expect(() => toCheckpoint({} as Neuron)).toThrow(/toCheckpoint\(module\): module must be a Module/);
    expect(model.stateDict()).toEqual(before);
  });
});
