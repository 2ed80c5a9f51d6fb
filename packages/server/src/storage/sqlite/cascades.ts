// SQLite adapter of the revocation cascades: each method is one IMMEDIATE transaction (better-sqlite3
// is synchronous, so the statements cost no round trips), with the log events written in it.
import type Database from "better-sqlite3";
import type { CascadeOptions, LoggedRevocation, RevocationCascadeStore } from "../ports.ts";
import { toUser, type Row } from "../rows.ts";

export function sqliteCascades(db: Database.Database): RevocationCascadeStore {
  const log = db.prepare("INSERT INTO revocations (kind, id, at, expires_at) VALUES (?, ?, ?, ?)");
  const sessionsOfUser = db.prepare("UPDATE idp_sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL AND id IS NOT ? RETURNING id").pluck();
  // "Everywhere else" keeps the kept session's grants and the app grant it was opened from.
  const grantsOfUser = db.prepare(
    "UPDATE offline_grants SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL AND (? IS NULL OR (idp_session_id IS NOT ? AND id IS NOT (SELECT parent_grant_id FROM idp_sessions WHERE id = ?))) RETURNING id",
  ).pluck();
  // A session and the browser sessions opened from its grants (app session tokens): one statement, as on PostgreSQL.
  const sessionAndAppSessions = db.prepare(
    "UPDATE idp_sessions SET revoked_at = ? WHERE (id = ? OR parent_grant_id IN (SELECT id FROM offline_grants WHERE idp_session_id = ?)) AND revoked_at IS NULL RETURNING id",
  ).pluck();
  const grantsOfSession = db.prepare("UPDATE offline_grants SET revoked_at = ? WHERE idp_session_id = ? AND revoked_at IS NULL RETURNING id").pluck();
  const grant = db.prepare("UPDATE offline_grants SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL RETURNING id").pluck();
  // Browser sessions opened from a grant with an app session token end with it.
  const sessionsOfGrant = db.prepare("UPDATE idp_sessions SET revoked_at = ? WHERE parent_grant_id = ? AND revoked_at IS NULL RETURNING id").pluck();
  const setPassword = db.prepare("INSERT INTO passwords (user_id, hash, updated_at) VALUES (?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET hash = excluded.hash, updated_at = excluded.updated_at");
  const disable = db.prepare("UPDATE users SET disabled = 1, disabled_reason = ?, updated_at = ? WHERE id = ? RETURNING *");
  const remove = db.prepare("DELETE FROM users WHERE id = ?");

  /** Appends the events for what was just revoked, and returns them. */
  const logged = (o: CascadeOptions, sessionIds: unknown[], grantIds: unknown[], userId?: string): LoggedRevocation[] => {
    const events: LoggedRevocation[] = [
      ...sessionIds.map((id) => ({ kind: "session" as const, id: `i.${String(id)}` })),
      ...grantIds.map((id) => ({ kind: "grant" as const, id: `o.${String(id)}` })),
      ...(userId !== undefined ? [{ kind: "user" as const, id: userId }] : []),
    ];
    for (const e of events) log.run(e.kind, e.id, o.at, o.logUntil);
    return events;
  };
  const ofUser = (userId: string, o: CascadeOptions, except: string | null): { sessions: unknown[]; grants: unknown[] } => ({
    sessions: sessionsOfUser.all(o.at, userId, except),
    grants: grantsOfUser.all(o.at, userId, except, except, except),
  });

  const byGrant = db.transaction((id: string, o: CascadeOptions) => {
    const grants = grant.all(o.at, id);
    return logged(o, sessionsOfGrant.all(o.at, id), grants);
  });
  const bySession = db.transaction((id: string, o: CascadeOptions) => {
    const sessions = sessionAndAppSessions.all(o.at, id, id);
    return logged(o, sessions, grantsOfSession.all(o.at, id));
  });
  const byUser = db.transaction((userId: string, o: CascadeOptions, except: string | null) => {
    const r = ofUser(userId, o, except);
    return logged(o, r.sessions, r.grants);
  });
  const reset = db.transaction((userId: string, hash: string, o: CascadeOptions) => {
    setPassword.run(userId, hash, o.at);
    const r = ofUser(userId, o, null);
    return logged(o, r.sessions, r.grants);
  });
  const disableAll = db.transaction((userId: string, reason: string | null, o: CascadeOptions) => {
    const row = disable.get(reason, o.at, userId) as Row | undefined;
    return row ? { user: toUser(row), revoked: logged(o, [], [], userId) } : null;
  });
  const deleteAll = db.transaction((userId: string, o: CascadeOptions) => {
    const r = ofUser(userId, o, null);
    if (remove.run(userId).changes === 0) return null;
    return logged(o, r.sessions, r.grants, userId);
  });

  return {
    async revokeByGrant(id, o) {
      return byGrant.immediate(id, o);
    },
    async revokeBySession(id, o) {
      return bySession.immediate(id, o);
    },
    async revokeByUser(userId, o) {
      return byUser.immediate(userId, o, o.exceptSessionId ?? null);
    },
    async resetPassword(userId, hash, o) {
      return reset.immediate(userId, hash, o);
    },
    async disableUser(userId, reason, o) {
      return disableAll.immediate(userId, reason, o);
    },
    async deleteUser(userId, o) {
      return deleteAll.immediate(userId, o);
    },
  };
}
