/**
 * safetensors between stopgrad and PyTorch 1.13, for the same nn.Sequential. The reference
 * numbers were made once with this Python (torch 1.13.1; the format read and written by hand
 * with struct/json, as the `safetensors` package was not installed) and pasted here:
 *
 *   def write(state):   # name -> {dtype, shape, data_offsets}, then the raw little-endian bytes
 *       header, chunks, off = {}, [], 0
 *       for k, v in state.items():
 *           b = v.contiguous().numpy().tobytes()
 *           header[k] = {'dtype': DT[v.dtype], 'shape': list(v.shape), 'data_offsets': [off, off + len(b)]}
 *           chunks.append(b); off += len(b)
 *       h = json.dumps(header, separators=(',', ':')).encode()
 *       return struct.pack('<Q', len(h)) + h + b''.join(chunks)
 *
 *   torch.manual_seed(0)
 *   model = nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2))
 *   model.train(); model(torch.randn(5, 3)); model.eval()
 *   x = torch.tensor([[1., 2., 3.], [-1., 0.5, 2.]])
 *   base64.b64encode(write(model.state_dict()))   # TORCH_FILE below
 *   model(x).tolist()                              # TORCH_OUTPUT below
 *
 * and, the other way, stopgrad's file (the model of the second test) read by hand
 * (torch.frombuffer per entry), `other.load_state_dict(state, strict=True)` ("All keys matched
 * successfully"), `other.eval(); other(x).tolist()` = STOPGRAD_IN_TORCH.
 */
import { nn, randn, seededRng, tensor, toSafetensors, loadSafetensorsBytes, fromSafetensors } from '../../lib';

const TORCH_FILE =
  'xwEAAAAAAAB7IjAud2VpZ2h0Ijp7ImR0eXBlIjoiRjMyIiwic2hhcGUiOlsyLDNdLCJkYXRhX29mZnNldHMiOlswLDI0XX0sIjAuYmlhcyI6eyJkdHlwZSI6IkYzMiIsInNoYXBlIjpbMl0sImRhdGFfb2Zmc2V0cyI6WzI0LDMyXX0sIjEud2VpZ2h0Ijp7ImR0eXBlIjoiRjMyIiwic2hhcGUiOlsyXSwiZGF0YV9vZmZzZXRzIjpbMzIsNDBdfSwiMS5iaWFzIjp7ImR0eXBlIjoiRjMyIiwic2hhcGUiOlsyXSwiZGF0YV9vZmZzZXRzIjpbNDAsNDhdfSwiMS5ydW5uaW5nX21lYW4iOnsiZHR5cGUiOiJGMzIiLCJzaGFwZSI6WzJdLCJkYXRhX29mZnNldHMiOls0OCw1Nl19LCIxLnJ1bm5pbmdfdmFyIjp7ImR0eXBlIjoiRjMyIiwic2hhcGUiOlsyXSwiZGF0YV9vZmZzZXRzIjpbNTYsNjRdfSwiMS5udW1fYmF0Y2hlc190cmFja2VkIjp7ImR0eXBlIjoiSTY0Iiwic2hhcGUiOltdLCJkYXRhX29mZnNldHMiOls2NCw3Ml19feijjbsTk54+fkvzvsmL2b6xtGO+U4kePkBrO7x6Yeo+AACAPwAAgD8AAAAAAAAAADO9AbvlnGE9OSJtPx5Vaz8BAAAAAAAAAA==';
const TORCH_OUTPUT = [
  [-0.8518933057785034, -0.0025831630919128656],
  [-0.8318855166435242, 1.0701463222503662],
];
const STOPGRAD_IN_TORCH = [
  [-0.4084661304950714, -0.3596002459526062],
  [0.5207962989807129, 0.08061180263757706],
];
const x = tensor([
  [1, 2, 3],
  [-1, 0.5, 2],
]);

function expectClose(actual: unknown, expected: number[][]): void {
  const flat = (actual as number[][]).flat();
  expected.flat().forEach((e, i) => expect(Math.abs(flat[i] - e)).toBeLessThan(1e-6 * Math.max(1, Math.abs(e))));
}

test("PyTorch's file (with BatchNorm's int64 num_batches_tracked) loads into the same nn.Sequential and computes PyTorch's outputs", () => {
  const model = new nn.Sequential(new nn.Linear(3, 2), new nn.BatchNorm1d(2));
  const bytes = Uint8Array.from(Buffer.from(TORCH_FILE, 'base64'));
  loadSafetensorsBytes(model, bytes);
  expect(fromSafetensors(bytes)['1.num_batches_tracked'].item()).toBe(1);
  model.eval();
  expectClose(model.forward(x).toArray(), TORCH_OUTPUT);
});

test("stopgrad's file, loaded by PyTorch with load_state_dict(strict=True), computes stopgrad's outputs", () => {
  const rng = seededRng(15);
  const model = new nn.Sequential(new nn.Linear(3, 2, { rng }), new nn.BatchNorm1d(2));
  model.forward(randn([5, 3], { rng }));
  model.eval();
  expect(Object.keys(fromSafetensors(toSafetensors(model)))).toEqual([
    '0.weight', '0.bias', '1.weight', '1.bias', '1.running_mean', '1.running_var', '1.num_batches_tracked',
  ]); // prettier-ignore
  expectClose(model.forward(x).toArray(), STOPGRAD_IN_TORCH);
});
