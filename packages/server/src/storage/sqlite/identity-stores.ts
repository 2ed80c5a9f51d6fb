// SQLite adapter of the identity port, and the identity writes UserStore (stores.ts) shares:
// users.email stays the user's primary email, derived from their email login IDs.
import type Database from "better-sqlite3";
import { randomUUID } from "node:crypto";
import type { IdentityStore } from "../identity-ports.ts";
import { loginIdIdentity, type Identity } from "../../domain/identity.ts";
import {
  ADOPT_PRIMARY_EMAIL, IDENTITY_COLUMNS, PRIMARY_EMAIL_KEY, REPICK_PRIMARY_EMAIL, identityValues, toIdentity,
} from "../identity-rows.ts";
import type { Row } from "../rows.ts";

const isUniqueViolation = (err: unknown): boolean => (err as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE";

/** Identity writes that run inside a caller's transaction (better-sqlite3 transactions nest). */
export function sqliteIdentityWrites(db: Database.Database) {
  const insert = db.prepare(`INSERT INTO identities (${IDENTITY_COLUMNS.join(", ")}) VALUES (${IDENTITY_COLUMNS.map(() => "?").join(", ")})`);
  const adopt = db.prepare(ADOPT_PRIMARY_EMAIL);
  const repick = db.prepare(REPICK_PRIMARY_EMAIL);
  const renameEmail = db.prepare(
    "UPDATE identities SET login_id = ?, original_login_id = ?, claims = ?, updated_at = ? " +
    "WHERE user_id = ? AND type = 'login_id' AND login_id_type = 'email' AND login_id = ?",
  );
  const dropEmail = db.prepare("DELETE FROM identities WHERE user_id = ? AND type = 'login_id' AND login_id_type = 'email' AND login_id = ?");
  return {
    /** Inserts; false (nothing written) if a login ID or provider subject is taken. */
    tryInsert(identity: Identity): boolean {
      try {
        insert.run(...identityValues(identity));
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },
    adoptPrimaryEmail(userId: string, email: string, at: number): void {
      adopt.run({ user: userId, email, at, false: 0 });
    },
    repickPrimaryEmail(userId: string, at: number): void {
      repick.run({ user: userId, at, false: 0 });
    },
    /** users.email changed from `from` to `to`: its login ID follows (made under key `email` if there was none). */
    followPrimaryEmail(userId: string, from: string | null, to: string | null, at: number): void {
      if (from === to) return;
      if (to === null) {
        if (from !== null) dropEmail.run(userId, from);
        return;
      }
      const changed = from === null ? 0 : renameEmail.run(to, to, JSON.stringify({ email: to }), at, userId, from).changes;
      if (changed === 0) {
        insert.run(...identityValues(loginIdIdentity({
          id: randomUUID(), userId, key: PRIMARY_EMAIL_KEY, type: "email", loginId: to, originalLoginId: to, at,
        })));
      }
    },
  };
}

export function sqliteIdentityStores(db: Database.Database) {
  const writes = sqliteIdentityWrites(db);
  const byId = db.prepare("SELECT * FROM identities WHERE id = ?");
  const byUser = db.prepare("SELECT * FROM identities WHERE user_id = ? ORDER BY created_at, id");
  const byLoginId = db.prepare("SELECT * FROM identities WHERE login_id_key = ? AND login_id = ?");
  const byProvider = db.prepare("SELECT * FROM identities WHERE provider_alias = ? AND provider_subject = ?");
  const remove = db.prepare("DELETE FROM identities WHERE id = ?");
  const primaryEmail = db.prepare("SELECT email FROM users WHERE id = ?");

  const create = db.transaction((identity: Identity): boolean => {
    if (!writes.tryInsert(identity)) return false;
    if (identity.type === "login_id" && identity.loginIdType === "email" && identity.loginId !== null) {
      writes.adoptPrimaryEmail(identity.userId, identity.loginId, identity.updatedAt);
    }
    return true;
  });
  const del = db.transaction((id: string, at: number): boolean => {
    const r = byId.get(id) as Row | undefined;
    if (!r) return false;
    const identity = toIdentity(r);
    remove.run(id);
    const primary = (primaryEmail.get(identity.userId) as { email: string | null } | undefined)?.email ?? null;
    if (identity.loginIdType === "email" && primary !== null && primary === identity.loginId) writes.repickPrimaryEmail(identity.userId, at);
    return true;
  });

  const identities: IdentityStore = {
    async create(identity) {
      return create(identity) ? identity : null;
    },
    async listByUser(userId) {
      return (byUser.all(userId) as Row[]).map(toIdentity);
    },
    async findByLoginId(key, normalised) {
      const r = byLoginId.get(key, normalised) as Row | undefined;
      return r ? toIdentity(r) : null;
    },
    async findByProvider(alias, subject) {
      const r = byProvider.get(alias, subject) as Row | undefined;
      return r ? toIdentity(r) : null;
    },
    async delete(id, at = Math.floor(Date.now() / 1000)) {
      return del(id, at);
    },
  };
  return { identities };
}
