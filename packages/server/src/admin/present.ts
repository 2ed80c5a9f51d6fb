// Domain objects → admin API JSON (snake_case, ISO times).
import type { Client } from "../oauth/clients.ts";
import type { UserSession } from "../session/user-sessions.ts";
import type { User } from "../domain/user.ts";

const iso = (t: number): string => new Date(t * 1000).toISOString();

export function presentUser(u: User) {
  return {
    id: u.id, email: u.email, is_verified: u.isVerified, is_anonymous: u.isAnonymous, is_disabled: u.disabled,
    disable_reason: u.disabledReason, roles: u.roles, created_at: iso(u.createdAt), updated_at: iso(u.updatedAt),
  };
}

/** A session or grant as the admin API shows it; `id` is its sid (`i.<id>` or `o.<id>`). */
export function presentSession(s: UserSession) {
  return {
    id: s.sid, type: s.kind, client_id: s.clientId, created_at: iso(s.createdAt), last_accessed_at: iso(s.lastAccessedAt),
    expires_at: iso(s.expiresAt), ip: s.ip, user_agent: s.userAgent, amr: s.amr,
  };
}

export function presentClient(c: Client) {
  return {
    client_id: c.client_id, name: c.name, x_application_type: c.x_application_type, redirect_uris: c.redirect_uris,
    access_token_lifetime_seconds: c.access_token_lifetime_seconds, refresh_token_lifetime_seconds: c.refresh_token_lifetime_seconds,
    refresh_token_idle_timeout_enabled: c.refresh_token_idle_timeout_enabled, refresh_token_idle_timeout_seconds: c.refresh_token_idle_timeout_seconds,
    refresh_token_rotation_enabled: c.refresh_token_rotation_enabled,
    refresh_token_rotation_grace_period_seconds: c.refresh_token_rotation_grace_period_seconds,
  };
}
