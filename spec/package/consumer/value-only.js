// The smallest browser app: only Value. Its bundle must not carry Graphviz, lodash or Node built-ins.
import { Value } from 'stopgrad';

const x = new Value(3);
const y = x.mul(x).add(1).tanh();
y.backward();
console.log(JSON.stringify([y.data, x.grad]));
