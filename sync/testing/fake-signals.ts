/** Network and visibility signals a test can flip. */
import type { NetworkStatus, Visibility } from '../ports.ts';

class Signal {
  private readonly listeners = new Set<(value: boolean) => void>();
  constructor(protected value: boolean) {}
  subscribe(listener: (value: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  set(value: boolean): void {
    if (value === this.value) return;
    this.value = value;
    for (const l of [...this.listeners]) l(value);
  }
}

export class FakeNetwork extends Signal implements NetworkStatus {
  isOnline(): boolean {
    return this.value;
  }
}

export class FakeVisibility extends Signal implements Visibility {
  isVisible(): boolean {
    return this.value;
  }
}
