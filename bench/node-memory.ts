/**
 * A full garbage collection on demand in this Node process, for the memory rows: collected before
 * a clock starts, the figures that follow are what the run holds, not what earlier steps left for
 * the collector. `npm run bench` runs without --expose-gc, so the flag is set here and `gc` is
 * taken from a fresh context, where V8 then installs it.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** Collects twice: the first pass runs finalizers that free more for the second. */
export function collectGarbage(): void {
  gc();
  gc();
}

export const mb = (bytes: number): number => bytes / 2 ** 20;
