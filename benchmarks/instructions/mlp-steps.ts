/** Runs N steps of the MLP task with stopgrad's nn.MLP (for counting instructions under valgrind). */
import { stopgradNnMlp } from '../models/stopgrad-mlp';

const engine = stopgradNnMlp();
const steps = Number(process.argv[2] ?? 30);
for (let i = 0; i < steps; i++) engine.step();
