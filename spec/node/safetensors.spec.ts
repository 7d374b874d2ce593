import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tensor, toSafetensors } from '../../lib';
import type { Tensor } from '../../lib';
import { loadSafetensors, saveSafetensors } from '../../lib/node';

class Pair {
  weight = tensor([1.5, -0, NaN], { dtype: 'float64' });
  bias = tensor([3]);
  stateDict(): Record<string, Tensor> {
    return { weight: this.weight.clone(), bias: this.bias.clone() };
  }
  loadStateDict(state: Record<string, Tensor>): void {
    this.weight.data.set(state.weight.data);
    this.bias.data.set(state.bias.data);
  }
}

describe('saveSafetensors / loadSafetensors', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stopgrad-st-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  test("the file holds toSafetensors' bytes, leaves no temporary, and loads back exactly", async () => {
    const a = new Pair();
    const file = path.join(dir, 'model.safetensors');
    await saveSafetensors(a, file);
    expect(Buffer.compare(await fs.readFile(file), Buffer.from(toSafetensors(a)))).toBe(0);
    expect(await fs.readdir(dir)).toEqual(['model.safetensors']);
    const b = new Pair();
    b.weight.data.set([0, 0, 0]);
    b.bias.data.set([0]);
    await loadSafetensors(b, file);
    expect(Array.from(b.weight.data).map((x) => (Object.is(x, -0) ? '-0' : x))).toEqual([1.5, '-0', NaN]);
    expect(b.bias.toArray()).toEqual([3]);
  });

  test('a missing file, a directory and a file too large for the module are refused, the module unchanged', async () => {
    const b = new Pair();
    await expect(loadSafetensors(b, path.join(dir, 'none.safetensors'))).rejects.toThrow(
      /cannot access .*none\.safetensors/,
    );
    await expect(loadSafetensors(b, dir)).rejects.toThrow(/is a directory/);
    const big = path.join(dir, 'big.safetensors');
    await fs.writeFile(big, Buffer.alloc(3 << 20));
    await expect(loadSafetensors(b, big)).rejects.toThrow(/too large for the safetensors file of this module/);
    expect(b.bias.toArray()).toEqual([3]);
  });
});
