/** Builds an N-link chain (and differentiates it with `backward` as the second argument), for counting instructions. */
import { Value } from '../../lib';

const links = Number(process.argv[2] ?? 100_000);
const x = new Value(1);
let y = x;
for (let i = 0; i < links; i++) y = y.mul(1.0001).add(0.0001);
if (process.argv[3] === 'backward') y.backward();
