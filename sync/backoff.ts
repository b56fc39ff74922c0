/** Exponential backoff with full jitter (AWS architecture blog), floored by the server's Retry-After. */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1_000, maxMs: 5 * 60_000 };

export class Backoff {
  private attempt = 0;

  constructor(
    private readonly options: BackoffOptions,
    private readonly random: () => number,
  ) {}

  get attempts(): number {
    return this.attempt;
  }

  /** The wait before the next try: uniform in [0, min(max, base·2^n)), at least Retry-After. */
  next(retryAfterMs: number | null = null): number {
    const cap = Math.min(this.options.maxMs, this.options.baseMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    const jittered = Math.floor(this.random() * cap);
    return retryAfterMs === null ? jittered : Math.max(retryAfterMs, jittered);
  }

  reset(): void {
    this.attempt = 0;
  }
}
