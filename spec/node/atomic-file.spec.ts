/** Atomic writes and bounded reads: concurrent saves, FIFOs, devices, modes, stale temporaries, long names. */
import { execFileSync, spawnSync } from 'child_process';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Module, Neuron, Value, seededRng, toDot } from '../../lib';
import { load, save, saveGraph } from '../../lib/node';
import { readRegularFile, temporaryName, writeFileAtomic } from '../../lib/node/atomic-file';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stopgrad-io-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const temporaries = async () => (await fs.readdir(dir)).filter((f) => f.endsWith('.tmp'));

test('concurrent saves to one path all resolve, and the file is one whole checkpoint', async () => {
  const file = path.join(dir, 'race.json');
  const models = Array.from({ length: 24 }, (_, i) => new Neuron(3, { rng: seededRng(i + 1) }));
  const results = await Promise.allSettled(models.map((m) => save(m, file)));
  expect(results.map((r) => r.status)).toEqual(models.map(() => 'fulfilled'));
  const copy = new Neuron(3);
  await load(copy, file);
  const states = models.map((m) => JSON.stringify(m.stateDict()));
  expect(states).toContain(JSON.stringify(copy.stateDict()));
  expect(await temporaries()).toEqual([]);
});

test('concurrent saveGraph calls to one path leave exactly one of the drawings', async () => {
  const file = path.join(dir, 'race.dot');
  const roots = Array.from({ length: 24 }, (_, i) => new Value(i, { label: `x${i}` }).mul(i + 1));
  const results = await Promise.allSettled(roots.map((r) => saveGraph(r, file)));
  expect(results.map((r) => r.status)).toEqual(roots.map(() => 'fulfilled'));
  const written = await fs.readFile(file, 'utf8');
  expect(roots.map((r) => toDot(r))).toContain(written);
  expect(await temporaries()).toEqual([]);
});

test('two temporary names for one file differ, and stay within 255 bytes for a 255-byte name', () => {
  const long = path.join(dir, 'é'.repeat(127) + 'x');
  expect(Buffer.byteLength(path.basename(long))).toBe(255);
  const a = temporaryName(long);
  expect(a).not.toBe(temporaryName(long));
  expect(Buffer.byteLength(path.basename(a))).toBeLessThanOrEqual(255);
  expect(path.dirname(a)).toBe(dir);
});

test('save and saveGraph accept file names of 230 to 255 bytes', async () => {
  for (const length of [230, 250, 255]) {
    const name = 'm'.repeat(length - 5) + '.json';
    await save(new Neuron(2), path.join(dir, name));
    await load(new Neuron(2), path.join(dir, name));
    await saveGraph(new Value(1), path.join(dir, 'g'.repeat(length - 4) + '.dot'));
  }
  expect(await temporaries()).toEqual([]);
});

test('save keeps the permission bits of the file it replaces', async () => {
  const file = path.join(dir, 'private.json');
  await save(new Neuron(2), file);
  await fs.chmod(file, 0o600);
  await save(new Neuron(2), file);
  expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
  await fs.chmod(file, 0o640);
  await saveGraph(new Value(1), file.replace(/json$/, 'dot'));
  await writeFileAtomic('test', file, 'x');
  expect((await fs.stat(file)).mode & 0o777).toBe(0o640);
});

test('a save removes temporaries of dead processes in its directory, not those of live ones', async () => {
  const dead = spawnSync(process.execPath, ['-e', '0']).pid;
  const stale = path.join(dir, `.crashed.json.${dead}.0123456789abcdef.tmp`);
  const legacy = path.join(dir, `.old.json.${dead}.1764100000000.tmp`);
  await fs.writeFile(legacy, 'partial');
  const live = path.join(dir, `.busy.json.${process.pid}.0123456789abcdef.tmp`);
  const other = path.join(dir, '.not-ours.tmp');
  for (const f of [stale, live, other]) await fs.writeFile(f, 'partial');
  await save(new Neuron(2), path.join(dir, 'after-crash.json'));
  const left = await temporaries();
  expect(left.sort()).toEqual([path.basename(live), path.basename(other)].sort());
  for (const f of [live, other]) await fs.rm(f);
});

describe('load refuses what is not a regular file, and reads with a bound', () => {
  test('a FIFO is refused at once instead of blocking forever', async () => {
    const fifo = path.join(dir, 'pipe.json');
    execFileSync('mkfifo', [fifo]);
    const outcome = await Promise.race([
      load(new Neuron(2), fifo).then(
        () => 'resolved',
        (error: Error) => error.message,
      ),
      new Promise<string>((resolve) => setTimeout(() => resolve('still pending after 2 s'), 2000)),
    ]);
    // Should the load hang, open the FIFO for writing so that the blocked read ends with the test.
    if (outcome === 'still pending after 2 s') await fs.writeFile(fifo, '');
    expect(outcome).toMatch(/^load\(module, path\): .*pipe\.json is a FIFO \(named pipe\), not a regular file/);
  });

  test('a directory is refused with an error that names load', async () => {
    await expect(load(new Neuron(2), dir)).rejects.toThrow(
      /^load\(module, path\): .* is a directory, not a regular file/,
    );
  });

  test('a device is refused (its reported size of 0 does not bypass the limit)', async () => {
    await expect(load(new Neuron(2), '/dev/zero')).rejects.toThrow(/is a device/);
  });

  test('a regular file whose reported size is 0 is still read with the bound', async () => {
    const status = '/proc/self/status';
    expect((await fs.stat(status)).size).toBe(0);
    await expect(readRegularFile('test', status, 100)).rejects.toThrow(
      /^test: \/proc\/self\/status is more than 100 bytes, too large for this file \(at most 100 bytes\)/,
    );
    expect(await readRegularFile('test', status, 1 << 20)).toMatch(/^Name:/);
  });

  test('a missing file names load and keeps the ENOENT code', async () => {
    const missing = path.join(dir, 'missing.json');
    await expect(load(new Neuron(2), missing)).rejects.toMatchObject({
      code: 'ENOENT',
      message: expect.stringMatching(/^load\(module, path\): cannot access .*missing\.json/),
    });
  });

  test('a checkpoint with long parameter names loads back (the limit follows the names)', async () => {
    class Wide extends Module {
      constructor(readonly ps: Value[]) {
        super();
      }
      protected members() {
        return { ['w'.repeat(5000)]: this.ps };
      }
    }
    const model = new Wide([new Value(0.1), new Value(-2.5e-300)]);
    const file = path.join(dir, 'wide.json');
    await save(model, file);
    const copy = new Wide([new Value(0), new Value(0)]);
    await load(copy, file);
    expect(copy.stateDict()).toEqual(model.stateDict());
  });
});
