// Brute-force limit on password attempts: per account+IP and per IP, in a sliding window.
// In-process for now; it sits behind this small interface so a shared (Redis) store can replace it.
export interface AttemptLimiter {
  /** True if another attempt is allowed for these keys now. */
  allowed(keys: string[], now: number): boolean;
  recordFailure(keys: string[], now: number): void;
  reset(keys: string[]): void;
}

export function createMemoryLimiter(options: { maxFailures: number; windowSeconds: number }): AttemptLimiter {
  const failures = new Map<string, number[]>();
  const recent = (key: string, now: number): number[] => {
    const list = (failures.get(key) ?? []).filter((t) => t > now - options.windowSeconds);
    if (list.length === 0) failures.delete(key);
    else failures.set(key, list);
    return list;
  };
  return {
    allowed: (keys, now) => keys.every((k) => recent(k, now).length < options.maxFailures),
    recordFailure(keys, now) {
      for (const k of keys) failures.set(k, [...recent(k, now), now]);
    },
    reset(keys) {
      for (const k of keys) failures.delete(k);
    },
  };
}
