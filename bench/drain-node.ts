/**
 * Runs a Node drain in a process of its own (drain-node-child.ts), so that the RSS it reports is the
 * drain's and its database's only. Each call is a fresh process that first drains `WARM_UP` walk-ins
 * of its own: the 1,000 baseline and the 10,000 start alike, with compiled code.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchSlot, BenchStack } from './bench-stack.ts';
import type { StackAddress } from './stack-client.ts';
import type { DrainMeasure } from './sync-drain.ts';

/** Walk-ins of the warm-up drain; its slots are the first of the request's. */
export const WARM_UP = 20;

export interface ChildRequest {
  stack: StackAddress;
  login: { email: string; password: string };
  /** 4 per walk-in: the warm-up's, then the measured drain's. */
  slots: BenchSlot[];
  patients: number;
}

export interface ChildResult {
  /** This process's RSS and JS heap in use before queueing, after a collection, MB. */
  beforeRssMb: number;
  beforeHeapMb: number;
  drain: DrainMeasure;
}

// The child's module: importing it would run it (it reads a request on stdin).
const CHILD = fileURLToPath(new URL('./drain-node-child.ts', import.meta.url));

export async function drainInNodeProcess(bench: BenchStack, patients: number): Promise<ChildResult> {
  // From an empty clinic: the first pull carries this drain's rows only (and the warm-up's).
  await bench.clearWalkIns();
  const request: ChildRequest = {
    stack: { url: bench.stack.url, anonKey: bench.stack.anonKey },
    login: bench.staffLogin,
    slots: await bench.addSlots((WARM_UP + patients) * 4),
    patients,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    out += chunk;
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', resolve);
  });
  child.stdin.end(JSON.stringify(request));
  const code = await exited;
  if (code !== 0) throw new Error(`the Node drain of ${patients} walk-ins exited with ${code}`);
  return JSON.parse(out) as ChildResult;
}
