// An in-process cache of what the hot paths (resolver, userinfo) ask on every request: is this
// session or grant alive, and who is its user? Revocations reach it at once on this node (the
// revocation service tells it) and within a poll interval on other nodes (the revocation log), so
// it never lets a revoked session through; the TTL only bounds how stale a *live* record can be.
import type { Storage } from "../storage/ports.ts";
import type { IdpSession, OfflineGrant } from "../domain/session.ts";
import type { User } from "../domain/user.ts";
import type { SessionRef } from "../tokens/sid.ts";
import { encodeSid } from "../tokens/sid.ts";

export type SessionRecord = { kind: "idp_session"; row: IdpSession } | { kind: "offline_grant"; row: OfflineGrant };

export interface ValidityCache {
  /** The stored row behind a sid (possibly revoked or expired: callers judge liveness). */
  session(ref: SessionRef, options?: { fresh?: boolean }): Promise<SessionRecord | null>;
  user(id: string): Promise<User | null>;
  /** Synchronous cache hits (undefined on a miss), so the hot paths skip the await chain. */
  peekSession(ref: SessionRef): SessionRecord | null | undefined;
  peekUser(id: string): User | null | undefined;
  /** Records a last-access write this node just made. */
  touched(ref: SessionRef, at: number): void;
  /** Forgets a sid (`o.…`/`i.…`) or, with kind "user", a user. */
  invalidate(kind: "sid" | "user", id: string): void;
}

interface Entry<T> {
  value: T;
  loadedAt: number;
}

const MAX_ENTRIES = 100_000;

class BoundedMap<T> extends Map<string, Entry<T>> {
  put(key: string, value: T, loadedAt: number): void {
    if (this.size >= MAX_ENTRIES) this.delete(this.keys().next().value as string);
    this.set(key, { value, loadedAt });
  }
}

export function createValidityCache(storage: Storage, options: { ttlMs: number; nowMs?: () => number }): ValidityCache {
  const nowMs = options.nowMs ?? Date.now;
  const sessions = new BoundedMap<SessionRecord | null>();
  const users = new BoundedMap<User | null>();
  const fresh = (e: Entry<unknown> | undefined): boolean => e !== undefined && nowMs() - e.loadedAt < options.ttlMs;
  // Bumped by every invalidation: a load that started before one must not be trusted after it
  // (it may have read the row just before the revocation was written).
  let generation = 0;
  const stamp = (startedAt: number, startGeneration: number): number => (generation === startGeneration ? startedAt : 0);

  async function loadSession(ref: SessionRef): Promise<SessionRecord | null> {
    if (ref.kind === "idp_session") {
      const row = await storage.sessions.get(ref.id);
      return row ? { kind: "idp_session", row } : null;
    }
    const row = await storage.offlineGrants.get(ref.id);
    return row ? { kind: "offline_grant", row } : null;
  }

  return {
    async session(ref, opts = {}) {
      const key = encodeSid(ref);
      const hit = sessions.get(key);
      // A revoked row never comes back to life, so it may be served however old it is.
      if (hit && !opts.fresh && (fresh(hit) || hit.value?.row.revokedAt != null)) return hit.value;
      const loadedAt = nowMs();
      const g = generation;
      const value = await loadSession(ref);
      sessions.put(key, value, stamp(loadedAt, g));
      return value;
    },
    async user(id) {
      const hit = users.get(id);
      if (fresh(hit)) return hit!.value;
      const loadedAt = nowMs();
      const g = generation;
      const value = await storage.users.get(id);
      users.put(id, value, stamp(loadedAt, g));
      return value;
    },
    peekSession(ref) {
      const hit = sessions.get(encodeSid(ref));
      return hit && (fresh(hit) || hit.value?.row.revokedAt != null) ? hit.value : undefined;
    },
    peekUser(id) {
      const hit = users.get(id);
      return fresh(hit) ? hit!.value : undefined;
    },
    touched(ref, at) {
      const hit = sessions.get(encodeSid(ref));
      if (hit?.value) hit.value.row.lastAccessedAt = at;
    },
    invalidate(kind, id) {
      generation++;
      (kind === "user" ? users : sessions).delete(id);
    },
  };
}
