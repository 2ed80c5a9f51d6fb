// Remembers JWTs whose signature already checked out, so a token presented on every request
// (resolver, userinfo) costs one RSA verification, not one per request. Only successful checks
// are cached; entries leave at the token's own expiry or when the cache is full.
import type { JwtPayload } from "./jwt.ts";

export interface VerifiedTokenCache {
  get(token: string, now: number): JwtPayload | undefined;
  set(token: string, payload: JwtPayload): void;
  clear(): void;
}

export function createVerifiedTokenCache(maxEntries: number): VerifiedTokenCache {
  const entries = new Map<string, JwtPayload>();
  return {
    get(token, now) {
      const payload = entries.get(token);
      if (payload && typeof payload.exp === "number" && payload.exp > now) return payload;
      if (payload) entries.delete(token);
      return undefined;
    },
    set(token, payload) {
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
      entries.set(token, payload);
    },
    clear: () => entries.clear(),
  };
}
