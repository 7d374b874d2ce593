/**
 * erf and gelu: values against PyTorch 1.13 (torch.erf(det([9], 0, 2.5)) in
 * spec/nn/tensor/pytorch-reference.json) and Python's math.erf, gradients of first and second
 * order against finite differences in float64.
 */
import { erf, gelu, tensor } from '../../../lib';
import { det, expectClose } from '../../helpers/module-check';
import { expectGradientsMatch, expectSecondOrderMatch } from '../../helpers/tensor-gradcheck';
import reference from '../../nn/tensor/pytorch-reference.json';

describe('erf', () => {
  test('matches torch.erf', () => {
    expectClose(erf(det([9], 0, 2.5)).data, reference.erf.out, 1e-14);
  });

  test('matches math.erf across both branches and the tails', () => {
    // /usr/bin/python3 -c "import math; print([math.erf(x) for x in [-7, -3, -2.999, 0, 1e-8, 0.3, 2.9999, 3.0001, 5.9, 6.5]])"
    const xs = [-7, -3, -2.999, 0, 1e-8, 0.3, 2.9999, 3.0001, 5.9, 6.5];
    const expected = [
      -1.0, -0.9999779095030014, -0.9999777698314002, 0.0, 1.1283791670955126e-8, 0.3286267594591274,
      0.9999778955735178, 0.9999779234241298, 0.9999999999999999, 1.0,
    ];
    expectClose(erf(tensor(xs, { dtype: 'float64' })).data, expected, 2e-14);
    expect(Array.from(erf(tensor([NaN, Infinity, -Infinity], { dtype: 'float64' })).data)).toEqual([NaN, 1, -1]);
  });

  test('first and second derivatives', () => {
    expectGradientsMatch((x) => erf(x), [det([9], 0, 2.5)]);
    expectSecondOrderMatch((x) => erf(x), [det([9], 0, 2.5)]);
    expectSecondOrderMatch((x) => gelu(x), [det([9], 0, 2.5)]);
    expectSecondOrderMatch((x) => gelu(x, 'tanh'), [det([9], 0, 2.5)]);
  });
});
