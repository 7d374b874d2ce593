/** Runs an optimiser on a one-parameter loss, for the optimiser specs. */
import { Value } from '../../lib';

interface Stepper {
  zeroGrad(): void;
  step(): void;
}

/**
 * Minimises `loss(w)` (default w^2) from `w0` for `steps` steps with the optimiser `make`
 * builds for w, and returns w after each step.
 */
export function trajectory(
  make: (w: Value) => Stepper,
  steps: number,
  w0 = 1,
  loss = (w: Value) => w.mul(w),
): number[] {
  const w = new Value(w0);
  const optimizer = make(w);
  const out: number[] = [];
  for (let s = 0; s < steps; s++) {
    optimizer.zeroGrad();
    loss(w).backward();
    optimizer.step();
    out.push(w.data);
  }
  return out;
}

interface Restorable<S> extends Stepper {
  stateDict(): S;
  loadStateDict(state: S): void;
}

/**
 * Minimises w^3 from 1 for 6 steps; with `restore`, halfway through the optimiser's state is
 * saved as JSON and loaded into a fresh optimiser (`fresh`), which carries on.
 */
export function restoredTrajectory<S>(
  make: (w: Value) => Restorable<S>,
  fresh: (w: Value) => Restorable<S>,
  restore: boolean,
): number[] {
  const w = new Value(1);
  let opt = make(w);
  const out: number[] = [];
  for (let s = 0; s < 6; s++) {
    if (restore && s === 3) {
      const saved = JSON.parse(JSON.stringify(opt.stateDict())) as S;
      opt = fresh(w);
      opt.loadStateDict(saved);
    }
    opt.zeroGrad();
    w.pow(3).backward();
    opt.step();
    out.push(w.data);
  }
  return out;
}
