// One refresh per refresh token at a time, in this process. Concurrent requests of one browser
// carry the same cookie; without this each would refresh, and with rotation enabled all but the
// first would fail with invalid_grant and log the user out. A successful result is also kept for
// a short grace period, for requests that still carry the old cookie after the refresh finished.

export interface RefreshCoalescer<T> {
  run(key: string, refresh: () => Promise<T>): Promise<T>;
  /** Drops a remembered result (after logout, the old cookie must not find it). */
  forget(key: string): void;
}

export function createRefreshCoalescer<T>(options: { graceMs: number; maxEntries: number; now: () => number }): RefreshCoalescer<T> {
  const entries = new Map<string, { promise: Promise<T>; settledAt: number | null }>();

  function sweep(): void {
    const now = options.now();
    for (const [key, e] of entries) if (e.settledAt !== null && e.settledAt + options.graceMs <= now) entries.delete(key);
    // Bounded: drop the oldest settled entries first; in-flight ones stay.
    for (const [key, e] of entries) {
      if (entries.size < options.maxEntries) break;
      if (e.settledAt !== null) entries.delete(key);
    }
  }

  return {
    run(key, refresh) {
      const existing = entries.get(key);
      if (existing && (existing.settledAt === null || existing.settledAt + options.graceMs > options.now())) return existing.promise;
      sweep();
      const entry: { promise: Promise<T>; settledAt: number | null } = { promise: refresh(), settledAt: null };
      entries.set(key, entry);
      entry.promise.then(
        () => { entry.settledAt = options.now(); },
        // A transient failure is not remembered: the next request tries again.
        () => { if (entries.get(key) === entry) entries.delete(key); },
      );
      return entry.promise;
    },
    forget: (key) => { entries.delete(key); },
  };
}
