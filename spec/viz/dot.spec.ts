import { Value, noGrad, outline, stopGradient, toDot, toSvg } from '../../lib';

/** A small graph with every kind of node: a leaf, a frozen leaf, a constant, a detached node, a noGrad value. */
function knownGraph() {
  const x = new Value(3, { label: 'x' });
  const w = new Value(0.5, { label: 'w' }).requiresGrad_(false);
  const c = new Value(2, { label: 'c', requiresGrad: false });
  const cut = x.mul(2);
  cut.label = 'cut';
  cut.detach_();
  const quiet = noGrad(() => x.add(1));
  quiet.label = 'quiet';
  const copy = stopGradient(x);
  copy.label = 'copy';
  const y = Value.sum([x.mul(w), c.mul(x), cut, quiet, copy]);
  y.label = 'y';
  y.backward();
  return { x, w, c, cut, quiet, copy, y };
}

/** Node statements (id -> attribute text) and edges of a DOT text. */
function parseDot(dot: string) {
  const nodes = new Map<string, string>();
  const edges: [string, string][] = [];
  for (const line of dot.split('\n')) {
    const edge = line.match(/^\s+(\w+) -> (\w+)/);
    const node = line.match(/^\s+(\w+) \[(.*)\];$/);
    if (edge) edges.push([edge[1], edge[2]]);
    else if (node && node[1] !== 'node' && node[1] !== 'edge') nodes.set(node[1], node[2]);
  }
  return { nodes, edges };
}

describe('toDot', () => {
  test('a known graph: its node count, edges and a distinct style per kind', () => {
    const { y } = knownGraph();
    const dot = toDot(y);
    expect(dot.startsWith('digraph stopgrad {\n  rankdir=LR;')).toBe(true);
    const { nodes, edges } = parseDot(dot);
    const values = [...nodes.keys()].filter((k) => k.startsWith('v'));
    const ops = [...nodes.keys()].filter((k) => k.startsWith('o'));
    // values: y (sum), x*w, c*x, cut, quiet, copy, and below them x, w, c
    expect(values).toHaveLength(9);
    expect(ops).toHaveLength(3); // sum, mul, mul
    expect(edges).toHaveLength(3 + 5 + 2 + 2); // op -> its value, then parent -> op for every operand
    const style = (label: string) => [...nodes.values()].find((attrs) => attrs.startsWith(`label="${label} |`))!;
    expect(style('x')).toMatch(/style="filled,bold", color="#1f5fbf"/);
    expect(style('w')).toMatch(/style="filled,dashed"/);
    expect(style('w')).toMatch(/frozen/);
    expect(style('c')).toMatch(/dotted", color="#888888".*\| constant|constant".*dotted/);
    expect(style('cut')).toMatch(/color="#cc0000", penwidth=3, peripheries=2/);
    expect(style('cut')).toMatch(/detach_\(\) — cut/);
    expect(style('quiet')).toMatch(/color="#7a3fb3"/);
    expect(style('copy')).toMatch(/color="#b35900"/);
  });

  test('shows data, grad and the op with its constants; shades by |grad|', () => {
    const x = new Value(2, { label: 'x' });
    const y = x.mul(3).add(0.5);
    y.backward();
    const dot = toDot(y);
    expect(dot).toContain('label="x | data 2 | grad 3"');
    expect(dot).toContain('label="mul 3"');
    expect(dot).toContain('label="add 0.5"');
    expect(dot).toMatch(/label="x \| data 2 \| grad 3".*fillcolor="#ffaa3c"/); // the largest |grad|: full shade
    expect(toDot(y, { shadeGradients: false })).not.toContain('#ffaa3c');
    expect(toDot(y, { rankdir: 'TB' })).toContain('rankdir=TB;');
  });

  test('escapes labels', () => {
    const x = new Value(1, { label: 'say "hi"\\ \n now' });
    expect(toDot(x)).toContain('label="say \\"hi\\"\\\\ \\n now | data 1 | grad 0"');
  });

  test('draws characters XML forbids as control pictures or U+FFFD', () => {
    const x = new Value(1, { label: 'a\u0000b\u001bc\uFFFFd\uD800e\tf\r\ng\u{1F600}' });
    expect(toDot(x)).toContain('label="a\u2400b\u241bc\uFFFDd\uFFFDe\tf\\ng\u{1F600} | data 1 | grad 0"');
  });

  test('a 10,000-node graph is drawn with the node limit and a "N more nodes" marker', () => {
    let v = new Value(1);
    for (let i = 0; i < 10_000; i++) v = v.add(1);
    const dot = toDot(v);
    const { nodes } = parseDot(dot);
    expect([...nodes.keys()].filter((k) => k.startsWith('v'))).toHaveLength(300);
    expect(dot).toContain('label="… 9701 more nodes (raise maxNodes to see them)"');
    expect(dot).toContain('more -> o299 [style=dashed];');
    expect(
      toDot(v, { maxNodes: 2000 })
        .split('\n')
        .filter((l) => /^\s+v\d+ \[/.test(l)),
    ).toHaveLength(2000);
  });

  test('the walk stops 10,000 nodes past the limit instead of visiting the whole graph', () => {
    let v = new Value(1);
    for (let i = 0; i < 50_000; i++) v = v.add(1);
    const parents = jest.spyOn(Value.prototype, 'parents', 'get');
    try {
      const dot = toDot(v);
      expect(dot).toContain('label="… more than 10000 more nodes (raise maxNodes to see them)"');
      // 300 drawn + 10,000 counted nodes asked for their parents once, the 300 drawn ones again for edges.
      expect(parents.mock.calls.length).toBeLessThanOrEqual(300 + 10_001 + 300);
    } finally {
      parents.mockRestore();
    }
  });

  test('a maxNodes above 125,000 does not overflow the stack', () => {
    let v = new Value(1);
    for (let i = 0; i < 150_000; i++) v = v.mul(1);
    v.backward();
    const lines = toDot(v, { maxNodes: 200_000 }).split('\n');
    expect(lines.filter((l) => /^\s+v\d+ \[/.test(l))).toHaveLength(150_001);
    expect(lines.some((l) => l.includes('more nodes'))).toBe(false);
  });

  test('a node with a NaN or infinite gradient gets its own fill, not a broken colour', () => {
    const x = new Value(-1, { label: 'x' });
    const y = new Value(0, { label: 'y' });
    const z = x.sqrt().add(y.log());
    z.label = 'z';
    z.backward();
    expect([Number.isNaN(x.grad), y.grad]).toEqual([true, Infinity]);
    const dot = toDot(z);
    expect(dot).not.toMatch(/fillcolor="[^"]*NaN/);
    expect(dot).toMatch(/label="x \| data -1 \| grad NaN".*fillcolor="#ff66ff"/);
    expect(dot).toMatch(/label="y \| data 0 \| grad Infinity".*fillcolor="#ff66ff"/);
    expect(dot).toMatch(/label="z \| data NaN \| grad 1".*fillcolor="#ffaa3c"/);
  });

  test('bad options', () => {
    expect(() => toDot(3 as unknown as Value)).toThrow(/root must be a Value/);
    expect(() => toDot(new Value(1), { maxNodes: 0 })).toThrow(/maxNodes must be a positive integer/);
    expect(() => toDot(new Value(1), { rankdir: 'XY' as 'LR' })).toThrow(/rankdir/);
  });
});

/** Checks that `svg` is well-formed XML (tags balance); returns its text content. */
function checkWellFormed(svg: string): string {
  const stack: string[] = [];
  let text = '';
  const body = svg
    .replace(/<\?xml[^>]*\?>/, '')
    .replace(/<!DOCTYPE[^>]*>/, '')
    .replace(/<!--[\s\S]*?-->/g, '');
  const tag = /<(\/?)([\w:-]+)((?:\s+[\w:-]+="[^"]*")*)\s*(\/?)>|([^<]+)/g;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = tag.exec(body)) !== null) {
    consumed += match[0].length;
    const [, closing, name, , selfClosing, content] = match;
    if (content !== undefined) text += content;
    else if (closing) expect(stack.pop()).toBe(name);
    else if (!selfClosing) stack.push(name);
  }
  expect(consumed).toBe(body.length);
  expect(stack).toEqual([]);
  return text
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#45;/g, '-');
}

describe('toSvg', () => {
  test('renders well-formed SVG containing every node label', async () => {
    const graph = knownGraph();
    const svg = await toSvg(graph.y);
    expect(svg).toMatch(/<svg /);
    const text = checkWellFormed(svg);
    for (const label of ['x', 'w', 'c', 'cut', 'quiet', 'copy', 'y']) expect(text).toContain(`${label} | data`);
    expect(text).toContain('detach_() — cut');
  }, 20_000);

  test('labels and op names with every control character, U+FFFE/FFFF and lone surrogates still give well-formed SVG', async () => {
    let label = '';
    for (let c = 0; c < 0x20; c++) label += String.fromCharCode(c);
    label += '\uFFFE\uFFFF\uD800 \uDC00 & < > "end"';
    const x = new Value(2, { label });
    const y = x.mul(3);
    y.label = label.split('').reverse().join('');
    y.backward();
    const svg = await toSvg(y);
    expect(svg.match(NOT_XML)).toBeNull();
    const text = checkWellFormed(svg);
    expect(text).toContain('\u2400\u2401\u2402');
    expect(text).toContain('"end"');
  }, 20_000);
});

/** Characters XML 1.0 does not allow anywhere in a document. */
const NOT_XML =
  // eslint-disable-next-line no-control-regex -- the characters XML forbids
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

describe('outline', () => {
  test('prints each node once, marks shared nodes and why gradient stops', () => {
    const x = new Value(3, { label: 'x' });
    const y = x.mul(x).add(1);
    expect(outline(y)).toBe(
      [
        '#1 add 1  data=10 grad=0',
        '└─ #2 mul  data=9 grad=0',
        '   ├─ #3 x  data=3 grad=0 [leaf]',
        '   └─ (see #3) x',
      ].join('\n'),
    );
    const { y: known } = knownGraph();
    const text = outline(known);
    expect(text).toContain('[frozen]');
    expect(text).toContain('[detach_: cut here]');
    expect(text).toContain('[noGrad]');
    expect(text).toContain('[stopGradient]');
  });

  test('is iterative (a 100,000-deep chain) and respects the node limit', () => {
    let v = new Value(1);
    for (let i = 0; i < 100_000; i++) v = v.mul(1);
    const text = outline(v, { maxNodes: 5 });
    expect(text.split('\n')).toHaveLength(6);
    expect(text).toMatch(/… 1 more node references not shown/);
    expect(outline(v).split('\n')).toHaveLength(201);
  });
});
