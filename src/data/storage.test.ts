import { describe, expect, it } from 'vitest';
import { flush, ManualClock } from '../../sync/testing/manual-clock.ts';
import { PERSIST_ANSWER_MS, requestPersistentStorage } from './storage.ts';

/** A StorageManager whose persist() answers only when the test says (Firefox's prompt). */
class PromptingStorage {
  asked = 0;
  private answer: ((granted: boolean) => void) | null = null;
  constructor(private readonly already = false) {}
  persisted = async () => this.already;
  persist = () => {
    this.asked += 1;
    return new Promise<boolean>((resolve) => (this.answer = resolve));
  };
  respond(granted: boolean): void {
    this.answer?.(granted);
  }
}

describe('requestPersistentStorage', () => {
  it('does not wait for a prompt nobody answers, and asks no second time while it is open', async () => {
    const storage = new PromptingStorage();
    const clock = new ManualClock();
    const first = requestPersistentStorage(storage, clock);
    await clock.advance(PERSIST_ANSWER_MS);
    await expect(first).resolves.toBe(false);
    const second = requestPersistentStorage(storage, clock);
    storage.respond(true);
    await expect(second).resolves.toBe(true);
    expect(storage.asked).toBe(1);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('asks again once the earlier prompt was answered', async () => {
    const storage = new PromptingStorage();
    const clock = new ManualClock();
    const first = requestPersistentStorage(storage, clock);
    await flush();
    storage.respond(false);
    await expect(first).resolves.toBe(false);
    const second = requestPersistentStorage(storage, clock);
    await flush();
    storage.respond(true);
    await expect(second).resolves.toBe(true);
    expect(storage.asked).toBe(2);
  });

  it('does not ask when storage is already persistent, or cannot be', async () => {
    const storage = new PromptingStorage(true);
    await expect(requestPersistentStorage(storage, new ManualClock())).resolves.toBe(true);
    expect(storage.asked).toBe(0);
    await expect(requestPersistentStorage(undefined, new ManualClock())).resolves.toBe(false);
  });
});
