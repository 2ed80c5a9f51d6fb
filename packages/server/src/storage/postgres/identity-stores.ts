// PostgreSQL adapter of the identity port, and the identity writes UserStore (stores.ts) shares:
// users.email stays the user's primary email, derived from their email login IDs. Uniqueness comes
// from the unique indexes (a violation means "taken"), never from check-then-insert.
import type pg from "pg";
import { randomUUID } from "node:crypto";
import { transaction } from "./transaction.ts";
import type { IdentityStore } from "../identity-ports.ts";
import { loginIdIdentity, type Identity } from "../../domain/identity.ts";
import {
  ADOPT_PRIMARY_EMAIL, IDENTITY_COLUMNS, PRIMARY_EMAIL_KEY, REPICK_PRIMARY_EMAIL, identityValues, numbered, toIdentity,
} from "../identity-rows.ts";
import type { Row } from "../rows.ts";

const UNIQUE_VIOLATION = "23505";
const INSERT = `INSERT INTO identities (${IDENTITY_COLUMNS.join(", ")}) VALUES (${IDENTITY_COLUMNS.map((_, i) => `$${i + 1}`).join(", ")})`;

/** A unique violation on one of the identity indexes: the login ID or provider subject is taken. */
export function isIdentityTaken(err: unknown): boolean {
  const e = err as { code?: string; constraint?: string };
  return e.code === UNIQUE_VIOLATION && (e.constraint === "identities_login_id" || e.constraint === "identities_provider");
}

type Client = Pick<pg.PoolClient, "query">;

export async function insertIdentity(client: Client, identity: Identity): Promise<void> {
  await client.query(INSERT, identityValues(identity));
}

/** users.email changed from `from` to `to`: its login ID follows (made under key `email` if there was none). */
export async function followPrimaryEmail(client: Client, userId: string, from: string | null, to: string | null, at: number): Promise<void> {
  if (from === to) return;
  const dropped = "user_id = $1 AND type = 'login_id' AND login_id_type = 'email' AND login_id = $2";
  if (to === null) {
    if (from !== null) await client.query(`DELETE FROM identities WHERE ${dropped}`, [userId, from]);
    return;
  }
  const changed = from === null ? 0 : (await client.query(
    `UPDATE identities SET login_id = $3, original_login_id = $3, claims = $4, updated_at = $5 WHERE ${dropped}`,
    [userId, from, to, JSON.stringify({ email: to }), at],
  )).rowCount ?? 0;
  if (changed === 0) {
    await insertIdentity(client, loginIdIdentity({ id: randomUUID(), userId, key: PRIMARY_EMAIL_KEY, type: "email", loginId: to, originalLoginId: to, at }));
  }
}

export function postgresIdentityStores(pool: pg.Pool) {
  const one = async (sql: string, args: unknown[]): Promise<Identity | null> => {
    const r = (await pool.query(sql, args)).rows[0] as Row | undefined;
    return r ? toIdentity(r) : null;
  };
  const identities: IdentityStore = {
    async create(identity) {
      try {
        await transaction(pool, async (client) => {
          await insertIdentity(client, identity);
          if (identity.type === "login_id" && identity.loginIdType === "email" && identity.loginId !== null) {
            await client.query(...numbered(ADOPT_PRIMARY_EMAIL, { user: identity.userId, email: identity.loginId, at: identity.updatedAt, false: false }));
          }
        });
        return identity;
      } catch (err) {
        if (isIdentityTaken(err)) return null;
        throw err;
      }
    },
    async listByUser(userId) {
      return ((await pool.query("SELECT * FROM identities WHERE user_id = $1 ORDER BY created_at, id", [userId])).rows as Row[]).map(toIdentity);
    },
    findByLoginId: (key, normalised) => one("SELECT * FROM identities WHERE login_id_key = $1 AND login_id = $2", [key, normalised]),
    findByProvider: (alias, subject) => one("SELECT * FROM identities WHERE provider_alias = $1 AND provider_subject = $2", [alias, subject]),
    async delete(id, at = Math.floor(Date.now() / 1000)) {
      return transaction(pool, async (client) => {
        const r = (await client.query("DELETE FROM identities WHERE id = $1 RETURNING *", [id])).rows[0] as Row | undefined;
        if (!r) return false;
        const identity = toIdentity(r);
        if (identity.loginIdType !== "email") return true;
        // Locks the user row: a concurrent change of the primary email waits for this one.
        const user = (await client.query("SELECT email FROM users WHERE id = $1 FOR UPDATE", [identity.userId])).rows[0] as { email: string | null } | undefined;
        if (user?.email != null && user.email === identity.loginId) {
          await client.query(...numbered(REPICK_PRIMARY_EMAIL, { user: identity.userId, at, false: false }));
        }
        return true;
      });
    },
  };
  return { identities };
}
