// A small time-bounded, size-bounded cache: entries leave at their TTL or, when full, oldest first.

export interface TtlCache<V> {
  get(key: string): V | undefined;
  set(key: string, value: V): void;
  clear(): void;
  readonly size: number;
}

export function createTtlCache<V>(options: { ttlMs: number; maxEntries: number; now: () => number }): TtlCache<V> {
  const entries = new Map<string, { value: V; expiresAt: number }>();
  return {
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt > options.now()) return entry.value;
      entries.delete(key);
      return undefined;
    },
    set(key, value) {
      if (options.ttlMs <= 0) return;
      entries.delete(key);
      while (entries.size >= options.maxEntries) entries.delete(entries.keys().next().value as string);
      entries.set(key, { value, expiresAt: options.now() + options.ttlMs });
    },
    clear: () => entries.clear(),
    get size() { return entries.size; },
  };
}
