// PostgreSQL adapter of the core ports: the same semantics as sqlite/stores.ts, with atomicity
// from single statements (UPDATE … RETURNING) and the unique index rather than check-then-insert.
import type pg from "pg";
import { transaction } from "./transaction.ts";
import type {
  AuthFlowStore, AuthorizationCodeStore, OfflineGrantStore, PasswordStore, SessionStore, SigningKeyStore, UserStore,
} from "../ports.ts";
import {
  CODE_COLUMNS, GRANT_COLUMNS, GRANT_WITH_USER_SQL, SESSION_COLUMNS, USER_COLUMNS, codeValues, grantValues, normalizeEmail, sessionValues,
  toCode, toFlow, toGrant, toGrantWithUser, toKey, toSession, toUser, userValues, type Row,
} from "../rows.ts";
import { drivePostgres } from "../plan.ts";
import { setDirectRoles } from "../profile-plans.ts";
import { writeValueTerms } from "../search-plan.ts";
import { postgresRoles } from "../roles-sql.ts";
import { postgresProfile } from "../schema-profile.ts";
import { loginIdsForNewUser } from "../identity-rows.ts";
import { followPrimaryEmail, insertIdentity, isIdentityTaken } from "./identity-stores.ts";

const insertSql = (table: string, cols: readonly string[]): string =>
  `INSERT INTO ${table} (${cols.join(", ")}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(", ")})`;
const pgBool = (b: boolean): boolean => b;
const UNIQUE_VIOLATION = "23505";

export function postgresStores(pool: pg.Pool) {
  const rows = async (sql: string, args: unknown[] = []): Promise<Row[]> => (await pool.query(sql, args)).rows as Row[];
  const one = async (sql: string, args: unknown[] = []): Promise<Row | null> => (await rows(sql, args))[0] ?? null;
  const changed = async (sql: string, args: unknown[]): Promise<number> => (await pool.query(sql, args)).rowCount ?? 0;
  const users: UserStore = {
    async create(user, passwordHash, loginIds = []) {
      const u = { ...user, email: user.email === null ? null : normalizeEmail(user.email) };
      try {
        await transaction(pool, async (client) => {
          await client.query(insertSql("users", USER_COLUMNS), userValues(u, pgBool));
          if (passwordHash !== null) await client.query("INSERT INTO passwords (user_id, hash, updated_at) VALUES ($1, $2, $3)", [u.id, passwordHash, u.createdAt]);
          await drivePostgres(client, writeValueTerms(u));
          if (u.roles.length > 0) await drivePostgres(client, setDirectRoles(postgresRoles, postgresProfile.newId, u.id, u.roles, u.createdAt));
          for (const identity of loginIdsForNewUser(u, loginIds)) await insertIdentity(client, identity);
        });
        return u;
      } catch (err) {
        // Only the email and identity indexes mean "taken"; a duplicate id is a bug and throws, as in SQLite.
        const e = err as { code?: string; constraint?: string };
        if ((e.code === UNIQUE_VIOLATION && e.constraint === "users_email") || isIdentityTaken(err)) return null;
        throw err;
      }
    },
    async get(id) {
      const r = await one("SELECT * FROM users WHERE id = $1", [id]);
      return r ? toUser(r) : null;
    },
    async findByEmail(email) {
      const r = await one("SELECT * FROM users WHERE email = $1", [normalizeEmail(email)]);
      return r ? toUser(r) : null;
    },
    async update(id, patch, at) {
      // Read-modify-write under a row lock, so two nodes patching different fields at once do not
      // lose one patch (SQLite gets this from its single synchronous writer).
      return transaction(pool, async (client) => {
        const current = (await client.query("SELECT * FROM users WHERE id = $1 FOR UPDATE", [id])).rows[0] as Row | undefined;
        if (!current) return null;
        const before = toUser(current);
        const next = { ...before, ...patch, updatedAt: at };
        next.email = next.email === null ? null : normalizeEmail(next.email);
        // users.roles is the effective-roles cache: only setDirectRoles writes it.
        await client.query(
          "UPDATE users SET email = $1, is_verified = $2, disabled = $3, disabled_reason = $4, standard_attributes = $5, custom_attributes = $6, updated_at = $7 WHERE id = $8",
          [next.email, next.isVerified, next.disabled, next.disabledReason, JSON.stringify(next.standardAttributes), JSON.stringify(next.customAttributes), at, id],
        );
        await followPrimaryEmail(client, id, before.email, next.email, at);
        if (patch.standardAttributes !== undefined || patch.customAttributes !== undefined) await drivePostgres(client, writeValueTerms(next));
        if (patch.roles !== undefined) await drivePostgres(client, setDirectRoles(postgresRoles, postgresProfile.newId, id, patch.roles, at));
        return toUser((await client.query("SELECT * FROM users WHERE id = $1", [id])).rows[0] as Row);
      });
    },
  };

  const passwords: PasswordStore = {
    async get(userId) {
      return ((await one("SELECT hash FROM passwords WHERE user_id = $1", [userId]))?.hash as string | undefined) ?? null;
    },
    async set(userId, hash, at) {
      await pool.query("INSERT INTO passwords (user_id, hash, updated_at) VALUES ($1, $2, $3) ON CONFLICT (user_id) DO UPDATE SET hash = EXCLUDED.hash, updated_at = EXCLUDED.updated_at", [userId, hash, at]);
    },
    async replace(userId, expected, hash, at) {
      return ((await pool.query("UPDATE passwords SET hash = $1, updated_at = $2 WHERE user_id = $3 AND hash = $4", [hash, at, userId, expected])).rowCount ?? 0) === 1;
    },
  };

  const sessions: SessionStore = {
    async create(s) {
      await pool.query(insertSql("idp_sessions", SESSION_COLUMNS), sessionValues(s));
    },
    async get(id) {
      const r = await one("SELECT * FROM idp_sessions WHERE id = $1", [id]);
      return r ? toSession(r) : null;
    },
    async touch(id, at, ip, userAgent) {
      await pool.query("UPDATE idp_sessions SET last_accessed_at = $1, ip = $2, user_agent = $3 WHERE id = $4 AND last_accessed_at < $1", [at, ip, userAgent, id]);
    },
    async listByUser(userId) {
      return (await rows("SELECT * FROM idp_sessions WHERE user_id = $1 ORDER BY created_at DESC", [userId])).map(toSession);
    },
    async deleteEnded(before) {
      return changed("DELETE FROM idp_sessions WHERE expires_at < $1 OR revoked_at < $1", [before]);
    },
  };

  const offlineGrants: OfflineGrantStore = {
    async create(g) {
      await pool.query(insertSql("offline_grants", GRANT_COLUMNS), grantValues(g));
    },
    async get(id) {
      const r = await one("SELECT * FROM offline_grants WHERE id = $1", [id]);
      return r ? toGrant(r) : null;
    },
    async getWithUser(id) {
      const values = (await pool.query({ text: GRANT_WITH_USER_SQL, values: [id], rowMode: "array" })).rows[0] as unknown[] | undefined;
      return values ? toGrantWithUser(values) : null;
    },
    async touch(id, o) {
      return (await changed("UPDATE offline_grants SET last_accessed_at = $1, ip = $2, user_agent = $3 WHERE id = $4 AND revoked_at IS NULL", [o.at, o.ip, o.userAgent, id])) > 0;
    },
    async rotate(id, o) {
      // One statement: the row lock makes every concurrent rotation of the same token but the
      // first re-check `token_hash` after it commits, and find it changed.
      // In a transaction, not autocommit: if the answer is lost (database stalled, connection
      // dropped by query_timeout) the client is told the refresh failed and keeps its old token,
      // so the rotation must not commit later. An autocommit UPDATE still waiting in a socket
      // buffer would commit whenever it arrived; here the COMMIT is only sent after the UPDATE
      // answered, and a session left waiting for it is ended (and rolled back) by the server's
      // idle_in_transaction_session_timeout, set below query_timeout.
      return transaction(pool, async (client) => ((await client.query(
        "UPDATE offline_grants SET last_accessed_at = $1, ip = $2, user_agent = $3, previous_token_hash = token_hash, token_hash = $4, rotated_at = $1, rotation_salt = $5 " +
        "WHERE id = $6 AND token_hash = $7 AND revoked_at IS NULL",
        [o.at, o.ip, o.userAgent, o.newTokenHash, o.salt, id, o.expectedTokenHash],
      )).rowCount ?? 0) > 0);
    },
    async listByUser(userId) {
      return (await rows("SELECT * FROM offline_grants WHERE user_id = $1 ORDER BY created_at DESC", [userId])).map(toGrant);
    },
    async deleteEnded(before) {
      return changed("DELETE FROM offline_grants WHERE expires_at < $1 OR revoked_at < $1", [before]);
    },
  };

  const codes: AuthorizationCodeStore = {
    async create(c) {
      await pool.query(insertSql("authorization_codes", CODE_COLUMNS), codeValues(c));
    },
    async get(hash) {
      const r = await one("SELECT * FROM authorization_codes WHERE code_hash = $1", [hash]);
      return r ? toCode(r) : null;
    },
    async consume(hash, o) {
      // One statement: of any number of concurrent exchanges, exactly one sees used_at IS NULL,
      // and the losers' SELECT runs after it committed, so they see the grant it recorded.
      const r = await one("UPDATE authorization_codes SET used_at = $1, issued_grant_id = $2 WHERE code_hash = $3 AND used_at IS NULL RETURNING *", [o.at, o.issuedGrantId, hash]);
      if (r) return { kind: "ok", code: toCode(r) };
      const used = await one("SELECT * FROM authorization_codes WHERE code_hash = $1", [hash]);
      return used ? { kind: "reused", code: toCode(used) } : { kind: "missing" };
    },
    async deleteExpired(before) {
      return changed("DELETE FROM authorization_codes WHERE expires_at < $1", [before]);
    },
  };

  const authFlows: AuthFlowStore = {
    async create(f) {
      await pool.query("INSERT INTO auth_flows (id, client_id, params, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)", [f.id, f.clientId, JSON.stringify(f.params), f.createdAt, f.expiresAt]);
    },
    async get(id) {
      const r = await one("SELECT * FROM auth_flows WHERE id = $1", [id]);
      return r ? toFlow(r) : null;
    },
    async delete(id) {
      await pool.query("DELETE FROM auth_flows WHERE id = $1", [id]);
    },
    async take(id) {
      const r = await one("DELETE FROM auth_flows WHERE id = $1 RETURNING *", [id]);
      return r ? toFlow(r) : null;
    },
    async deleteExpired(before) {
      return changed("DELETE FROM auth_flows WHERE expires_at < $1", [before]);
    },
  };

  const signingKeys: SigningKeyStore = {
    async list() {
      return (await rows("SELECT * FROM signing_keys ORDER BY created_at ASC")).map(toKey);
    },
    async insert(k) {
      await pool.query("INSERT INTO signing_keys (kid, private_jwk, created_at, rotated_at, retired_at) VALUES ($1, $2, $3, $4, $5)", [k.kid, k.privateJwk, k.createdAt, k.rotatedAt, k.retiredAt]);
    },
    async markRotated(kid, at) {
      await pool.query("UPDATE signing_keys SET rotated_at = $1 WHERE kid = $2 AND rotated_at IS NULL", [at, kid]);
    },
  };

  return { users, passwords, sessions, offlineGrants, codes, authFlows, signingKeys };
}
