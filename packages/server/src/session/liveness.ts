// When is a session or an offline grant still alive? Absolute lifetime, idle timeout, revocation.
import type { Config } from "../config/schema.ts";
import type { IdpSession, OfflineGrant } from "../domain/session.ts";
import type { Client } from "../oauth/clients.ts";

export function isSessionAlive(s: IdpSession, config: Config["session"], now: number): boolean {
  if (s.revokedAt !== null || s.expiresAt <= now) return false;
  return !(config.idle_timeout_enabled && s.lastAccessedAt + config.idle_timeout_seconds <= now);
}

export function isGrantAlive(g: OfflineGrant, client: Client | undefined, now: number): boolean {
  if (!client || g.revokedAt !== null || g.expiresAt <= now) return false;
  return !(client.refresh_token_idle_timeout_enabled && g.lastAccessedAt + client.refresh_token_idle_timeout_seconds <= now);
}

/**
 * Last-access times are recorded at most this often per session, so resolving a session on every
 * request does not turn every request into a database write. Idle timeouts are far longer.
 */
export const TOUCH_INTERVAL_SECONDS = 60;
