/**
 * Profiles of the page over a Chromium drain (`DRAIN_10K_PROFILE=heap|cpu npm run bench -- drain-10k`):
 * where its memory was allocated, garbage included, or where its CPU time went. Each profile is
 * written whole (open it in Chromium's DevTools) and its top functions printed.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, CDPSession } from 'playwright-core';
import type { DrainProbe } from './browser-drain.ts';

export type ProfileKind = 'heap' | 'cpu' | 'memory';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface HeapNode {
  callFrame: CallFrame;
  selfSize: number;
  children: HeapNode[];
}

interface CpuNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
}

const where = (f: CallFrame): string =>
  `${f.functionName || '(anonymous)'} ${path.basename(f.url) || '(native)'}:${f.lineNumber + 1}`;

/** The `top` heaviest entries of `by`, as lines. */
function top(by: Map<string, number>, total: number, unit: (n: number) => string, count = 25): string {
  return [...by.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, n]) => `  ${unit(n).padStart(9)} ${((100 * n) / total).toFixed(1).padStart(5)}%  ${name}`)
    .join('\n');
}

function heapSummary(head: HeapNode): string {
  const by = new Map<string, number>();
  let total = 0;
  const walk = (n: HeapNode) => {
    total += n.selfSize;
    if (n.selfSize > 0) by.set(where(n.callFrame), (by.get(where(n.callFrame)) ?? 0) + n.selfSize);
    for (const c of n.children) walk(c);
  };
  walk(head);
  return `allocated over the drain (sampled, garbage included): ${(total / 2 ** 20).toFixed(0)} MB\n${top(by, total, (n) => `${(n / 2 ** 20).toFixed(1)} MB`)}`;
}

function cpuSummary(nodes: readonly CpuNode[], interval: number): string {
  const by = new Map<string, number>();
  let total = 0;
  for (const n of nodes) {
    total += n.hitCount ?? 0;
    by.set(where(n.callFrame), (by.get(where(n.callFrame)) ?? 0) + (n.hitCount ?? 0));
  }
  return `CPU over the drain (self time): ${((total * interval) / 1000).toFixed(0)} ms\n${top(by, total, (n) => `${((n * interval) / 1000).toFixed(0)} ms`)}`;
}

interface TraceEvent {
  ph: string;
  pid: number;
  /** The dump's id: a process's totals and its allocators come as two events of one id. */
  id?: string;
  args?: { dumps?: MemoryDump };
}

interface MemoryDump {
  process_totals?: { private_footprint_bytes?: string };
  allocators?: Record<string, { attrs?: { size?: { value: string } } }>;
}

const hexMb = (hex: string | undefined): number =>
  hex === undefined ? 0 : Number.parseInt(hex, 16) / 2 ** 20;

/** Of each process's dumps, the one at its largest private footprint, by allocator (Chromium's memory-infra). */
function memorySummary(events: readonly TraceEvent[]): string {
  const dumps = new Map<string, { pid: number; footprint: number; allocators: MemoryDump['allocators'] }>();
  for (const e of events) {
    const dump = e.args?.dumps;
    if (e.ph !== 'v' || !dump) continue;
    const key = `${e.pid}:${e.id}`;
    const d = dumps.get(key) ?? { pid: e.pid, footprint: 0, allocators: {} };
    if (dump.process_totals) d.footprint = hexMb(dump.process_totals.private_footprint_bytes);
    if (dump.allocators) d.allocators = dump.allocators;
    dumps.set(key, d);
  }
  const best = new Map<number, { footprint: number; allocators: MemoryDump['allocators'] }>();
  for (const d of dumps.values()) if (d.footprint > (best.get(d.pid)?.footprint ?? -1)) best.set(d.pid, d);
  return [...best.entries()]
    .filter(([, d]) => d.footprint >= 50)
    .map(([pid, d]) => {
      const sizes = Object.entries(d.allocators ?? {})
        // The top of each allocator, and V8's heap by space (new space is what grows in a long drain).
        .filter(([name]) => name.split('/').length <= 2 || /^v8\/main\/heap\/[a-z_]+$/.test(name))
        .map(([name, a]) => [name, hexMb(a.attrs?.size?.value)] as const)
        .filter(([, mb]) => mb >= 1)
        .sort((a, b) => a[0].localeCompare(b[0]))
        .map(([name, mb]) => `    ${mb.toFixed(1).padStart(7)} MB  ${name}`);
      return `  process ${pid}: private footprint ${d.footprint.toFixed(0)} MB\n${sizes.join('\n')}`;
    })
    .join('\n');
}

/** Memory-infra dumps every `everyMs` over the drain, through a browser-wide trace. */
function memoryDumps(everyMs: number) {
  let session: CDPSession | undefined;
  let running = false;
  let loop: Promise<void> = Promise.resolve();
  const events: TraceEvent[] = [];
  return {
    start: async (browser: Browser) => {
      const cdp = await browser.newBrowserCDPSession();
      session = cdp;
      // Typed by playwright as string maps; the events are the trace format's objects.
      cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as TraceEvent[])));
      await cdp.send('Tracing.start', {
        traceConfig: {
          includedCategories: ['disabled-by-default-memory-infra'],
          // No periodic dumps: this probe asks for each one.
          memoryDumpConfig: { triggers: [] as unknown as string },
        },
      });
      running = true;
      loop = (async () => {
        while (running) {
          await cdp.send('Tracing.requestMemoryDump', { levelOfDetail: 'detailed' }).catch(() => undefined);
          await new Promise((resolve) => setTimeout(resolve, everyMs));
        }
      })();
    },
    stop: async (): Promise<string> => {
      running = false;
      await loop;
      const cdp = session;
      if (!cdp) return '';
      const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
      await cdp.send('Tracing.end');
      await complete;
      await cdp.detach();
      return memorySummary(events);
    },
  };
}

/** A probe writing `label`'s profile under the system's temp folder and printing its summary. */
export function profileProbe(kind: ProfileKind, label: string): DrainProbe {
  const file = path.join(os.tmpdir(), `consult-drain-${label.replace(/\W+/g, '-')}.${kind}profile`);
  const dumps = memoryDumps(250);
  return {
    start: async (cdp: CDPSession, browser: Browser) => {
      if (kind === 'memory') await dumps.start(browser);
      else if (kind === 'heap')
        await cdp.send('HeapProfiler.startSampling', {
          samplingInterval: 16_384,
          // Garbage is what this profile is for: keep what either collector freed.
          includeObjectsCollectedByMajorGC: true,
          includeObjectsCollectedByMinorGC: true,
        });
      else {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
        await cdp.send('Profiler.start');
      }
    },
    stop: async (cdp: CDPSession) => {
      let summary: string;
      let profile: unknown;
      if (kind === 'memory') {
        console.log(
          `\n${label}, memory-infra at each process's largest private footprint:\n${await dumps.stop()}`,
        );
        return;
      }
      if (kind === 'heap') {
        ({ profile } = (await cdp.send('HeapProfiler.stopSampling')) as { profile: { head: HeapNode } });
        summary = heapSummary((profile as { head: HeapNode }).head);
      } else {
        const cpu = (
          (await cdp.send('Profiler.stop')) as { profile: { nodes: CpuNode[]; samples: number[] } }
        ).profile;
        profile = cpu;
        summary = cpuSummary(cpu.nodes, 500);
      }
      await fs.writeFile(file, JSON.stringify(profile));
      console.log(`\n${label}, ${summary}\n  (${file})`);
    },
  };
}
