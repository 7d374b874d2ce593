/**
 * Module with Tensor parameters: PyTorch's dotted names, buffers, train/eval propagation,
 * state dicts (tensor snapshots) and their checks, freezing (a frozen parameter's .grad is
 * never touched), checkpoints with tensors (bit for bit) and the printed tree.
 */
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  type Member,
  Module,
  type Tensor,
  Value,
  fromCheckpoint,
  nn,
  noGrad,
  randn,
  seededRng,
  tensor,
  toCheckpoint,
} from '../../../lib';
import { load, save } from '../../../lib/node';

class Net extends nn.Module {
  body = new nn.Sequential(new nn.Conv2d(1, 4, 3, { seed: 1 }), new nn.BatchNorm2d(4), new nn.ReLU(), new nn.Flatten());
  head = new nn.Sequential({
    fc1: new nn.Linear(16, 8, { seed: 2 }),
    act: new nn.ReLU(),
    fc2: new nn.Linear(8, 3, { seed: 3 }),
  });
  protected members(): Record<string, Member<Tensor>> {
    return { body: this.body, head: this.head };
  }
  forward(x: Tensor): Tensor {
    return this.head.forward(this.body.forward(x));
  }
}

const x = randn([5, 1, 4, 4], { rng: seededRng(9) });

describe('names, buffers and modes', () => {
  test('parameters and buffers have PyTorch state_dict names', () => {
    const net = new Net();
    expect(Object.keys(net.stateDict())).toEqual([
      'body.0.weight',
      'body.0.bias',
      'body.1.weight',
      'body.1.bias',
      'body.1.running_mean',
      'body.1.running_var',
      'body.1.num_batches_tracked',
      'head.fc1.weight',
      'head.fc1.bias',
      'head.fc2.weight',
      'head.fc2.bias',
    ]);
    expect(net.parameters()).toHaveLength(8);
    expect(net.buffers()).toHaveLength(3);
    expect(net.namedModules().map(([n]) => n)).toEqual([
      '',
      'body',
      'body.0',
      'body.1',
      'body.2',
      'body.3',
      'head',
      'head.fc1',
      'head.act',
      'head.fc2',
    ]);
  });

  test('train() and eval() set training on every submodule', () => {
    const net = new Net();
    expect(net.eval()).toBe(net);
    expect(net.namedModules().every(([, m]) => !m.training)).toBe(true);
    net.train();
    expect(net.namedModules().every(([, m]) => m.training)).toBe(true);
    net.body.eval();
    expect([net.training, net.body.at(1).training, net.head.training]).toEqual([true, false, true]);
  });

  test('the printed tree counts elements', () => {
    const lines = String(new Net()).split('\n');
    // conv 4·9 + 4, batch norm 4 + 4, fc1 16·8 + 8, fc2 8·3 + 3
    expect(lines[0]).toBe(`Net(${40 + 8 + 136 + 27} parameters)`);
    expect(lines).toContain('    (0): Conv2d(1 -> 4, kernel 3; 40 parameters)');
    expect(lines).toContain('    (fc1): Linear(16 -> 8; 136 parameters)');
  });
});

describe('state dicts', () => {
  test('entries are snapshots; loading makes a second model compute the same, buffers included', () => {
    const a = new Net();
    a.forward(x); // moves the running statistics
    const state = a.stateDict();
    const before = Array.from(state['head.fc2.bias'].data);
    noGrad(() => a.head.at(2).parameters()[1].add_(1));
    expect(Array.from(state['head.fc2.bias'].data)).toEqual(before);
    const b = new Net();
    b.loadStateDict(a.stateDict());
    expect(b.stateDict()['body.1.num_batches_tracked'].item()).toBe(1);
    a.eval();
    b.eval();
    expect(Array.from(b.forward(x).data)).toEqual(Array.from(a.forward(x).data));
  });

  test('a float64 entry loads into float32 parameters', () => {
    const fc = new nn.Linear(2, 1, { seed: 0 });
    fc.loadStateDict({ weight: tensor([[0.5, -2]], { dtype: 'float64' }), bias: tensor([3]) });
    expect(fc.weight.dtype).toBe('float32');
    expect(fc.weight.toArray()).toEqual([[0.5, -2]]);
  });

  test('a wrong shape, a missing entry or a non-Tensor is refused and nothing changes', () => {
    const fc = new nn.Linear(2, 3, { seed: 0 });
    const before = fc.stateDict();
    const good = new nn.Linear(2, 3, { seed: 1 }).stateDict();
    expect(() => fc.loadStateDict({ ...good, bias: tensor([1, 2]) })).toThrow(
      "'bias' has shape [3] in this module but [2] in the state",
    );
    expect(() => fc.loadStateDict({ weight: good.weight })).toThrow("parameter 'bias' is missing");
    expect(() => fc.loadStateDict({ ...good, bias: [1, 2, 3] as unknown as Tensor })).toThrow(
      "'bias' must be a Tensor of shape [3]",
    );
    expect(() => fc.loadStateDict({ ...good, extra: tensor(1) })).toThrow("the state has 'extra'");
    expect(Array.from(fc.weight.data)).toEqual(Array.from(before.weight.data));
    expect(Array.from(fc.bias!.data)).toEqual(Array.from(before.bias.data));
  });

  test('a module mixing Values and Tensors: numbers and Tensors side by side', () => {
    class Mixed extends Module<Value | Tensor> {
      scale = new Value(2);
      fc = new nn.Linear(2, 2, { seed: 0 });
      protected members() {
        return { scale: this.scale, fc: this.fc };
      }
    }
    const state = new Mixed().stateDict();
    expect(state.scale).toBe(2);
    expect((state['fc.weight'] as Tensor).shape).toEqual([2, 2]);
    const copy = new Mixed();
    copy.scale.data = 0;
    copy.loadStateDict(state);
    expect(copy.scale.data).toBe(2);
  });
});

describe('freeze', () => {
  test('a frozen body: no gradient reaches it, its .grad is never touched, the head trains', () => {
    const net = new Net();
    net.forward(x).sum().backward();
    const stale = net.body.parameters().map((p) => p.grad!);
    const staleData = stale.map((g) => Array.from(g.data));
    net.body.freeze();
    net.head.zeroGrad();
    const input = x.detach().requiresGrad_();
    net.forward(input).sum().backward();
    net.body.parameters().forEach((p, i) => {
      expect(p.requiresGrad).toBe(false);
      expect(p.grad).toBe(stale[i]);
      expect(Array.from(p.grad!.data)).toEqual(staleData[i]);
    });
    expect(net.head.parameters().every((p) => p.grad !== null)).toBe(true);
    // The gradient still flows through the frozen body to the input.
    expect(input.grad!.abs().sum().item()).toBeGreaterThan(0);
    net.zeroGrad();
    expect(net.head.parameters().every((p) => p.grad === null)).toBe(true);
    net.body.unfreeze();
    expect(net.parameters().every((p) => p.requiresGrad)).toBe(true);
  });
});

describe('checkpoints with tensors', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stopgrad-nn-'));
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  test('toCheckpoint / fromCheckpoint and save / load restore every element bit for bit', async () => {
    const a = new Net();
    a.forward(x);
    noGrad(() => {
      const w = a.head.at(0).parameters()[0];
      w.data.set([-0, NaN, Infinity, -Infinity, 1e-45]);
    });
    const text = toCheckpoint(a);
    expect(JSON.parse(text)).toMatchObject({ format: 'stopgrad-checkpoint', version: 2 });
    const b = new Net();
    fromCheckpoint(b, text);
    const c = new Net();
    await save(a, path.join(dir, 'net.json'));
    await load(c, path.join(dir, 'net.json'));
    const bits = (m: Net) =>
      Object.values(m.stateDict()).map((t) => Array.from(new Uint32Array(Float32Array.from(t.data).buffer)));
    expect(bits(b)).toEqual(bits(a));
    expect(bits(c)).toEqual(bits(a));
    expect(Object.is(b.head.at(0).parameters()[0].data[0], -0)).toBe(true);
  });

  test('a checkpoint of another architecture names the first mismatch', () => {
    const text = toCheckpoint(new nn.Linear(2, 3));
    expect(() => fromCheckpoint(new nn.Linear(2, 4), text)).toThrow(
      "parameter 'weight' in the checkpoint has shape [3, 2], but this module's has shape [4, 2]",
    );
    expect(() => fromCheckpoint(new nn.Linear(2, 3, { bias: false }), text)).toThrow(
      'has parameter "bias", which this module does not have',
    );
  });
});
