/** A clock whose time moves only when a test says so; timers fire in due order. */
import type { Clock, TimerHandle } from '../ports.ts';

/** Lets every pending promise continuation run (memory store and in-process server are promise-only). */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class ManualClock implements Clock {
  private time: number;
  private nextId = 1;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();

  constructor(start = Date.parse('2030-01-01T00:00:00Z')) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle as number);
  }

  pendingTimers(): number {
    return this.timers.size;
  }

  /** Moves time forward, firing due timers one by one and settling the work each one starts. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    await flush();
    for (;;) {
      const due = [...this.timers.entries()]
        .filter(([, t]) => t.at <= end)
        .sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!due) break;
      const [id, t] = due;
      this.timers.delete(id);
      this.time = Math.max(this.time, t.at);
      t.fn();
      await flush();
      await flush();
    }
    this.time = end;
    await flush();
  }

  /** Fires timers until none is left (bounded), returning the time spent. */
  async runAll(limit = 1_000): Promise<number> {
    const start = this.time;
    for (let i = 0; i < limit && this.timers.size > 0; i++) {
      const next = Math.min(...[...this.timers.values()].map((t) => t.at));
      await this.advance(Math.max(0, next - this.time));
    }
    return this.time - start;
  }
}
