/** Numbers as people read them in printed Values, drawings and messages. */

/**
 * `x` with `digits` significant digits: integers as they are, very small or large numbers in
 * exponent form, and -0 as '-0'.
 *
 * @example
 * formatNumber(0.1 + 0.2);        // '0.3'
 * formatNumber(1.23456789e-7, 4); // '1.235e-7'
 */
export function formatNumber(x: number, digits = 6): string {
  if (Object.is(x, -0)) return '-0';
  if (!Number.isFinite(x) || (Number.isInteger(x) && Math.abs(x) < 1e15)) return String(x);
  const abs = Math.abs(x);
  return abs < 1e-4 || abs >= 1e15
    ? x.toExponential(digits - 1).replace(/\.?0+e/, 'e')
    : String(Number(x.toPrecision(digits)));
}

/** How a Value prints: `Value(data=9, grad=3)`, plus its label and `requiresGrad=false` when they say something. */
export function describeValue(data: number, grad: number, label: string, requiresGrad: boolean): string {
  let text = `Value(data=${formatNumber(data)}, grad=${formatNumber(grad)}`;
  if (label !== '') text += `, label=${JSON.stringify(label)}`;
  if (!requiresGrad) text += ', requiresGrad=false';
  return text + ')';
}
