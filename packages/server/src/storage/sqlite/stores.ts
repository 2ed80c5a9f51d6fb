import type Database from "better-sqlite3";
import type {
  AuthFlowStore, AuthorizationCodeStore, ConsumeResult, OfflineGrantStore, PasswordStore, SessionStore, SigningKeyStore, UserStore,
} from "../ports.ts";
import {
  CODE_COLUMNS, GRANT_COLUMNS, GRANT_WITH_USER_SQL, SESSION_COLUMNS, USER_COLUMNS, codeValues, grantValues, normalizeEmail, sessionValues,
  toCode, toFlow, toGrant, toGrantWithUser, toKey, toSession, toUser, userValues, type Row,
} from "../rows.ts";
import { sqlitePlanDriver } from "../plan.ts";
import { setDirectRoles } from "../profile-plans.ts";
import { writeValueTerms } from "../search-plan.ts";
import { sqliteRoles } from "../roles-sql.ts";
import { sqliteProfile } from "../schema-profile.ts";
import type { Identity } from "../../domain/identity.ts";
import type { User } from "../../domain/user.ts";
import { loginIdsForNewUser } from "../identity-rows.ts";
import { sqliteIdentityWrites } from "./identity-stores.ts";

const insertSql = (table: string, cols: readonly string[]): string =>
  `INSERT INTO ${table} (${cols.join(", ")}) VALUES (${cols.map(() => "?").join(", ")})`;
const sqliteBool = (b: boolean): number => (b ? 1 : 0);

export function sqliteStores(db: Database.Database) {
  // Statements are prepared once and reused: preparing is a large share of a small query's cost.
  const prepared = new Map<string, Database.Statement>();
  const q = (sql: string): Database.Statement => {
    let statement = prepared.get(sql);
    if (!statement) prepared.set(sql, (statement = db.prepare(sql)));
    return statement;
  };

  const drive = sqlitePlanDriver(db);
  const users = ((): UserStore => {
    const insertUser = q(insertSql("users", USER_COLUMNS));
    const insertPassword = q("INSERT INTO passwords (user_id, hash, updated_at) VALUES (?, ?, ?)");
    const byId = q("SELECT * FROM users WHERE id = ?");
    const byEmail = q("SELECT * FROM users WHERE email = ?");
    const identities = sqliteIdentityWrites(db);
    const taken = new Error("login ID taken");
    const create = db.transaction((u: User, hash: string | null, loginIds: Identity[]) => {
      insertUser.run(...userValues(u, sqliteBool));
      if (hash !== null) insertPassword.run(u.id, hash, u.createdAt);
      // Throwing rolls the user back with the identity that was taken.
      for (const identity of loginIds) if (!identities.tryInsert(identity)) throw taken;
      drive(writeValueTerms(u));
      if (u.roles.length > 0) drive(setDirectRoles(sqliteRoles, sqliteProfile.newId, u.id, u.roles, u.createdAt));
    });
    const update = db.transaction((id: string, patch: Parameters<UserStore["update"]>[1], at: number): User | null => {
      const r = byId.get(id) as Row | undefined;
      if (!r) return null;
      const current = toUser(r);
      const next = { ...current, ...patch, updatedAt: at };
      next.email = next.email === null ? null : normalizeEmail(next.email);
      // users.roles is the effective-roles cache: only setDirectRoles writes it.
      q("UPDATE users SET email = ?, is_verified = ?, disabled = ?, disabled_reason = ?, standard_attributes = ?, custom_attributes = ?, updated_at = ? WHERE id = ?").run(
        next.email, sqliteBool(next.isVerified), sqliteBool(next.disabled), next.disabledReason, JSON.stringify(next.standardAttributes), JSON.stringify(next.customAttributes), at, id,
      );
      identities.followPrimaryEmail(id, current.email, next.email, at);
      if (patch.standardAttributes !== undefined || patch.customAttributes !== undefined) drive(writeValueTerms(next));
      if (patch.roles !== undefined) drive(setDirectRoles(sqliteRoles, sqliteProfile.newId, id, patch.roles, at));
      return toUser(byId.get(id) as Row);
    });
    return {
      async create(user, passwordHash, loginIds = []) {
        const u = { ...user, email: user.email === null ? null : normalizeEmail(user.email) };
        if (u.email !== null && byEmail.get(u.email)) return null;
        try {
          create(u, passwordHash, loginIdsForNewUser(u, loginIds));
        } catch (err) {
          if (err === taken) return null;
          throw err;
        }
        return u;
      },
      async get(id) {
        const r = byId.get(id) as Row | undefined;
        return r ? toUser(r) : null;
      },
      async findByEmail(email) {
        const r = byEmail.get(normalizeEmail(email)) as Row | undefined;
        return r ? toUser(r) : null;
      },
      async update(id, patch, at) {
        return update.immediate(id, patch, at);
      },
    };
  })();

  const passwords: PasswordStore = {
    async get(userId) {
      const r = q("SELECT hash FROM passwords WHERE user_id = ?").get(userId) as { hash: string } | undefined;
      return r?.hash ?? null;
    },
    async set(userId, hash, at) {
      q("INSERT INTO passwords (user_id, hash, updated_at) VALUES (?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET hash = excluded.hash, updated_at = excluded.updated_at").run(userId, hash, at);
    },
    async replace(userId, expected, hash, at) {
      return q("UPDATE passwords SET hash = ?, updated_at = ? WHERE user_id = ? AND hash = ?").run(hash, at, userId, expected).changes === 1;
    },
  };

  const sessions = ((): SessionStore => {
    const insert = q(insertSql("idp_sessions", SESSION_COLUMNS));
    const byId = q("SELECT * FROM idp_sessions WHERE id = ?");
    const touch = q("UPDATE idp_sessions SET last_accessed_at = ?, ip = ?, user_agent = ? WHERE id = ? AND last_accessed_at < ?");
    return {
      async create(s) {
        insert.run(...sessionValues(s));
      },
      async get(id) {
        const r = byId.get(id) as Row | undefined;
        return r ? toSession(r) : null;
      },
      async touch(id, at, ip, userAgent) {
        touch.run(at, ip, userAgent, id, at);
      },
      async listByUser(userId) {
        return (q("SELECT * FROM idp_sessions WHERE user_id = ? ORDER BY created_at DESC").all(userId) as Row[]).map(toSession);
      },
      async deleteEnded(before) {
        return q("DELETE FROM idp_sessions WHERE expires_at < ? OR revoked_at < ?").run(before, before).changes;
      },
    };
  })();

  const offlineGrants = ((): OfflineGrantStore => {
    const insert = q(insertSql("offline_grants", GRANT_COLUMNS));
    const byId = q("SELECT * FROM offline_grants WHERE id = ?");
    const withUser = db.prepare(GRANT_WITH_USER_SQL.replace("$1", "?")).raw(true);
    const touch = q("UPDATE offline_grants SET last_accessed_at = ?, ip = ?, user_agent = ? WHERE id = ? AND revoked_at IS NULL");
    const rotate = q(
      "UPDATE offline_grants SET last_accessed_at = ?, ip = ?, user_agent = ?, previous_token_hash = token_hash, token_hash = ?, rotated_at = ?, rotation_salt = ? " +
      "WHERE id = ? AND token_hash = ? AND revoked_at IS NULL",
    );
    return {
      async create(g) {
        insert.run(...grantValues(g));
      },
      async get(id) {
        const r = byId.get(id) as Row | undefined;
        return r ? toGrant(r) : null;
      },
      async getWithUser(id) {
        const values = withUser.get(id) as unknown[] | undefined;
        return values ? toGrantWithUser(values) : null;
      },
      async touch(id, o) {
        return touch.run(o.at, o.ip, o.userAgent, id).changes > 0;
      },
      async rotate(id, o) {
        return rotate.run(o.at, o.ip, o.userAgent, o.newTokenHash, o.at, o.salt, id, o.expectedTokenHash).changes > 0;
      },
      async listByUser(userId) {
        return (q("SELECT * FROM offline_grants WHERE user_id = ? ORDER BY created_at DESC").all(userId) as Row[]).map(toGrant);
      },
      async deleteEnded(before) {
        return q("DELETE FROM offline_grants WHERE expires_at < ? OR revoked_at < ?").run(before, before).changes;
      },
    };
  })();

  const codes = ((): AuthorizationCodeStore => {
    const insert = q(insertSql("authorization_codes", CODE_COLUMNS));
    const byHash = q("SELECT * FROM authorization_codes WHERE code_hash = ?");
    const markUsed = q("UPDATE authorization_codes SET used_at = ?, issued_grant_id = ? WHERE code_hash = ? AND used_at IS NULL");
    const consume = db.transaction((hash: string, at: number, issuedGrantId: string | null): ConsumeResult => {
      const r = byHash.get(hash) as Row | undefined;
      if (!r) return { kind: "missing" };
      if (markUsed.run(at, issuedGrantId, hash).changes === 0) return { kind: "reused", code: toCode(r) };
      return { kind: "ok", code: { ...toCode(r), usedAt: at, issuedGrantId } };
    });
    return {
      async create(c) {
        insert.run(...codeValues(c));
      },
      async get(hash) {
        const r = byHash.get(hash) as Row | undefined;
        return r ? toCode(r) : null;
      },
      async consume(hash, o) {
        return consume.immediate(hash, o.at, o.issuedGrantId);
      },
      async deleteExpired(before) {
        return q("DELETE FROM authorization_codes WHERE expires_at < ?").run(before).changes;
      },
    };
  })();

  const authFlows: AuthFlowStore = {
    async create(f) {
      q("INSERT INTO auth_flows (id, client_id, params, created_at, expires_at) VALUES (?, ?, ?, ?, ?)").run(f.id, f.clientId, JSON.stringify(f.params), f.createdAt, f.expiresAt);
    },
    async get(id) {
      const r = q("SELECT * FROM auth_flows WHERE id = ?").get(id) as Row | undefined;
      return r ? toFlow(r) : null;
    },
    async delete(id) {
      q("DELETE FROM auth_flows WHERE id = ?").run(id);
    },
    async take(id) {
      const r = q("DELETE FROM auth_flows WHERE id = ? RETURNING *").get(id) as Row | undefined;
      return r ? toFlow(r) : null;
    },
    async deleteExpired(before) {
      return q("DELETE FROM auth_flows WHERE expires_at < ?").run(before).changes;
    },
  };

  const signingKeys: SigningKeyStore = {
    async list() {
      return (q("SELECT * FROM signing_keys ORDER BY created_at ASC").all() as Row[]).map(toKey);
    },
    async insert(k) {
      q("INSERT INTO signing_keys (kid, private_jwk, created_at, rotated_at, retired_at) VALUES (?, ?, ?, ?, ?)").run(k.kid, k.privateJwk, k.createdAt, k.rotatedAt, k.retiredAt);
    },
    async markRotated(kid, at) {
      q("UPDATE signing_keys SET rotated_at = ? WHERE kid = ? AND rotated_at IS NULL").run(at, kid);
    },
  };

  return { users, passwords, sessions, offlineGrants, codes, authFlows, signingKeys };
}
