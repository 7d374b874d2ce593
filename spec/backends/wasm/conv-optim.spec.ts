/**
 * Wasm im2col/col2im, pooling and optimiser updates against straightforward float32 loops,
 * exact (the same operations in the same order).
 */
import type { ConvGeometry } from '../../../lib/backends/backend';
import { adamConstants, adamTensor } from '../../../lib/optim/tensor-update';
import type { Tensor } from '../../../lib/tensor/tensor';
import { put, seeded, wasmOnly } from './helpers';

const f = Math.fround;
const { wasm, calls } = wasmOnly();
const values = seeded(5);
afterEach(() => expect(calls).toEqual([]));

function geometry(
  n: number,
  c: number,
  h: number,
  w: number,
  k: number,
  stride: number,
  pad: number,
  dilation: number,
): ConvGeometry {
  const oh = Math.floor((h + 2 * pad - dilation * (k - 1) - 1) / stride) + 1;
  const ow = Math.floor((w + 2 * pad - dilation * (k - 1) - 1) / stride) + 1;
  return {
    n,
    c,
    h,
    w,
    kh: k,
    kw: k,
    strideH: stride,
    strideW: stride,
    padH: pad,
    padW: pad,
    dilationH: dilation,
    dilationW: dilation,
    oh,
    ow,
  };
}

/** Calls visit(xIndex or -1 for padding, colIndex) in im2col order. */
function walk(g: ConvGeometry, visit: (xi: number, ci: number) => void): void {
  let ci = 0;
  for (let b = 0; b < g.n; b++)
    for (let c = 0; c < g.c; c++)
      for (let ki = 0; ki < g.kh; ki++)
        for (let kj = 0; kj < g.kw; kj++) {
          for (let oy = 0; oy < g.oh; oy++)
            for (let ox = 0; ox < g.ow; ox++) {
              const iy = oy * g.strideH - g.padH + ki * g.dilationH,
                ix = ox * g.strideW - g.padW + kj * g.dilationW;
              visit(iy >= 0 && iy < g.h && ix >= 0 && ix < g.w ? ((b * g.c + c) * g.h + iy) * g.w + ix : -1, ci++);
            }
        }
}

describe.each([
  ['3x3, stride 1, pad 1', geometry(2, 3, 7, 5, 3, 1, 1, 1)],
  ['3x3, stride 2, pad 1, dilation 2', geometry(1, 2, 9, 8, 3, 2, 1, 2)],
  ['2x2, stride 2, no pad', geometry(3, 1, 6, 7, 2, 2, 0, 1)],
  ['1x1 on 1x1', geometry(1, 3, 1, 1, 1, 1, 0, 1)],
])('%s', (_, g) => {
  const xSize = g.n * g.c * g.h * g.w,
    colSize = g.n * g.c * g.kh * g.kw * g.oh * g.ow,
    outSize = g.n * g.c * g.oh * g.ow;
  const x = values(xSize);

  test('im2col copies each patch; col2im adds them back in the same order', () => {
    const cols = wasm.alloc('float32', colSize);
    wasm.im2col(put(wasm, x).view(), g, cols.view());
    const expected = new Array<number>(colSize);
    walk(g, (xi, ci) => {
      expected[ci] = xi < 0 ? 0 : x[xi];
    });
    expect(Array.from(cols.view())).toEqual(expected);
    const c = values(colSize);
    const back = put(wasm, values(xSize));
    wasm.col2im(put(wasm, c).view(), g, back.view());
    const sums = new Array<number>(xSize).fill(0);
    walk(g, (xi, ci) => {
      if (xi >= 0) sums[xi] = f(sums[xi] + c[ci]);
    });
    expect(Array.from(back.view())).toEqual(sums);
  });

  test('max and average pooling, forward and backward', () => {
    const planes = g.n * g.c,
      sx = put(wasm, x);
    const out = wasm.alloc('float32', outSize),
      arg = wasm.alloc('float32', outSize);
    wasm.maxPool2d(sx.view(), g, out.view(), arg.view());
    const eMax: number[] = [],
      eArg: number[] = [],
      eAvg: number[] = [];
    for (let p = 0; p < planes; p++)
      for (let oy = 0; oy < g.oh; oy++)
        for (let ox = 0; ox < g.ow; ox++) {
          let best = -Infinity,
            at = -1,
            sum = 0;
          for (let ki = 0; ki < g.kh; ki++)
            for (let kj = 0; kj < g.kw; kj++) {
              const iy = oy * g.strideH - g.padH + ki * g.dilationH,
                ix = ox * g.strideW - g.padW + kj * g.dilationW;
              if (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w) continue;
              const v = x[p * g.h * g.w + iy * g.w + ix];
              sum = f(sum + v);
              if (at < 0 || v > best) {
                best = v;
                at = iy * g.w + ix;
              }
            }
          eMax.push(best);
          eArg.push(at);
          eAvg.push(f(sum / (g.kh * g.kw)));
        }
    expect(Array.from(out.view())).toEqual(eMax);
    expect(Array.from(arg.view())).toEqual(eArg);
    const grad = values(outSize),
      gx = put(wasm, values(xSize));
    wasm.maxPool2dBackward(put(wasm, grad).view(), arg.view(), g, gx.view());
    const eGx = new Array<number>(xSize).fill(0);
    eArg.forEach((a, o) => {
      const i = Math.floor(o / (g.oh * g.ow)) * g.h * g.w + a;
      eGx[i] = f(eGx[i] + grad[o]);
    });
    expect(Array.from(gx.view())).toEqual(eGx);

    wasm.avgPool2d(sx.view(), g, out.view());
    expect(Array.from(out.view())).toEqual(eAvg);
    wasm.avgPool2dBackward(put(wasm, grad).view(), g, gx.view());
    const eAvgGx = new Array<number>(xSize).fill(0);
    let o = 0;
    for (let p = 0; p < planes; p++)
      for (let oy = 0; oy < g.oh; oy++)
        for (let ox = 0; ox < g.ow; ox++, o++) {
          const gv = f(grad[o] / (g.kh * g.kw));
          for (let ki = 0; ki < g.kh; ki++)
            for (let kj = 0; kj < g.kw; kj++) {
              const iy = oy * g.strideH - g.padH + ki * g.dilationH,
                ix = ox * g.strideW - g.padW + kj * g.dilationW;
              if (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w) continue;
              const i = p * g.h * g.w + iy * g.w + ix;
              eAvgGx[i] = f(eAvgGx[i] + gv);
            }
        }
    expect(Array.from(gx.view())).toEqual(eAvgGx);
  });
});

describe.each([1, 7, 129])('optimiser updates on %i parameters', (n) => {
  const p0 = values(n),
    g = values(n),
    b0 = values(n),
    v0 = values(n).map(Math.abs);

  type Sgd = {
    lr: number;
    momentum?: number;
    dampening?: number;
    weightDecay?: number;
    nesterov?: boolean;
    first?: boolean;
  };
  test.each<[string, Sgd]>([
    ['plain', { lr: 0.1 }],
    ['momentum, dampening, weight decay', { lr: 0.05, momentum: 0.9, dampening: 0.1, weightDecay: 0.01 }],
    ['nesterov, first step', { lr: 0.05, momentum: 0.9, nesterov: true, first: true }],
  ])('sgd: %s', (_, o) => {
    const p = put(wasm, p0),
      buf = put(wasm, b0);
    wasm.sgd(p.view(), put(wasm, g).view(), buf.view(), o);
    const m = f(o.momentum ?? 0),
      damp = f(1 - (o.dampening ?? 0)),
      wd = f(o.weightDecay ?? 0),
      lr = f(o.lr);
    const eb = [...b0];
    const ep = p0.map((pv, i) => {
      let d = g[i];
      if (wd !== 0) d = f(d + f(wd * pv));
      if (m !== 0) {
        eb[i] = o.first ? d : f(f(m * b0[i]) + f(damp * d));
        d = o.nesterov ? f(d + f(m * eb[i])) : eb[i];
      }
      return f(pv - f(lr * d));
    });
    expect(Array.from(p.view())).toEqual(ep);
    expect(Array.from(buf.view())).toEqual(eb);
  });

  test.each([
    ['Adam with L2, beta1 0.9 (lerp from m)', false, 0.9],
    ['AdamW, beta1 0.9', true, 0.9],
    ['Adam, beta1 0.3 (lerp from g)', false, 0.3],
    ['AdamW, beta1 0.3', true, 0.3],
  ] as const)('%s at step 3 equals the JS loop (adamTensor) bit for bit', (_, decoupled, beta1) => {
    const p = put(wasm, p0),
      m = put(wasm, b0),
      v = put(wasm, v0);
    const step = {
      lr: 0.01,
      betas: [beta1, 0.999] as [number, number],
      eps: 1e-8,
      weightDecay: 0.1,
      step: 3,
      decoupled,
    };
    wasm.adam(p.view(), put(wasm, g).view(), m.view(), v.view(), adamConstants(step, Math.fround));
    const [jp, jm, jv] = [Float32Array.from(p0), Float32Array.from(b0), Float32Array.from(v0)];
    adamTensor(
      { dtype: 'float32', _data: jp, _storage: { version: 0 } } as unknown as Tensor,
      Float32Array.from(g),
      jm,
      jv,
      step,
    );
    expect(Array.from(m.view())).toEqual(Array.from(jm));
    expect(Array.from(v.view())).toEqual(Array.from(jv));
    expect(Array.from(p.view())).toEqual(Array.from(jp));
    // And the step did something: p moved against g's sign where g dominates.
    expect(Array.from(p.view())).not.toEqual(p0);
  });
});
