// Reads an Authgear project's users from its PostgreSQL database (the tables of Authgear's migrations,
// cmd/authgear/cmd/cmddatabase/migrations/authgear/), a page of users at a time in id order (keyset),
// with everything that hangs off them fetched for the whole page in one query per table. Rows are
// read as `to_jsonb(row)`, so databases of older Authgear versions, which lack later columns, read too;
// the kinds' tables added later (biometric 2021, passkey 2022) are read only where they exist.
import pg from "pg";
import { splitSchema } from "../../storage/postgres/index.ts";

/** Authgear stores `timestamp without time zone` in UTC; to_jsonb writes it without a zone. */
export function epoch(value: unknown): number | null {
  if (typeof value === "number") return Math.floor(value);
  if (typeof value !== "string" || value === "") return null;
  if (/^-?\d+$/.test(value)) return Number(value);
  const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : null;
}

type Json = Record<string, unknown>;

export interface AuthgearUserPage {
  users: Json[];
  /**
   * By user id: `_auth_identity` with its kind's row as `login_id`, `oauth`, `passkey`, `biometric` or
   * `anonymous` (null where the kind's table does not exist), oldest first.
   */
  identities: Map<string, Json[]>;
  /** By user id: `_auth_authenticator` with `password_hash` / `secret` / `passkey` (its row) joined in, oldest first. */
  authenticators: Map<string, Json[]>;
  recoveryCodes: Map<string, Json[]>;
  verifiedClaims: Map<string, Json[]>;
  roleKeys: Map<string, string[]>;
  groupKeys: Map<string, string[]>;
}

export interface AuthgearDatabase {
  appId: string;
  countUsers(): Promise<number>;
  /** Users with ids after `after`, at most `limit`, in id order. */
  page(after: string, limit: number): Promise<AuthgearUserPage>;
  rolesAndGroups(): Promise<{ roles: Json[]; groups: Json[]; groupRoles: { group_key: string; role_key: string }[] }>;
  close(): Promise<void>;
}

const byUser = <T>(rows: Json[], value: (r: Json) => T): Map<string, T[]> => {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = String(r.user_id);
    let list = out.get(k);
    if (!list) out.set(k, (list = []));
    list.push(value(r));
  }
  return out;
};

export async function openAuthgearDatabase(url: string, appId: string): Promise<AuthgearDatabase> {
  const { url: bare, schema } = splitSchema(url);
  if (schema !== null && !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) throw new Error("--database-url: schema must be a plain identifier");
  const pool = new pg.Pool({ connectionString: bare, max: 4, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  pool.on("error", () => undefined);
  const rows = async (sql: string, args: unknown[]): Promise<Json[]> => (await pool.query(sql, args)).rows as Json[];
  // Fails early, with Authgear's table name in the message, when the URL does not point at an Authgear database.
  try {
    await rows("SELECT 1 FROM _auth_user LIMIT 1", []);
  } catch (err) {
    await pool.end();
    throw err;
  }
  // Checked once: each kind's row is looked up only where its table exists (to_regclass follows search_path).
  // Roles and groups (their five tables) came in 2024.
  const TABLES = ["_auth_identity_passkey", "_auth_identity_biometric", "_auth_identity_anonymous", "_auth_authenticator_passkey", "_auth_role"] as const;
  const found = (await rows(`SELECT ${TABLES.map((t, i) => `to_regclass('${t}') IS NOT NULL AS t${i}`).join(", ")}`, []))[0];
  const has = (t: (typeof TABLES)[number]): boolean => found[`t${TABLES.indexOf(t)}`] === true;
  // Looked up only for rows of that type (CASE runs its subquery only when the type matches).
  const kindRow = (table: (typeof TABLES)[number], as: string, owner: string): string =>
    has(table) ? `CASE WHEN ${owner}.type = '${as}' THEN (SELECT to_jsonb(k) FROM ${table} k WHERE k.id = ${owner}.id) END AS ${as}` : `NULL::jsonb AS ${as}`;
  return {
    appId,
    async countUsers() {
      return Number((await rows("SELECT count(*) AS n FROM _auth_user WHERE app_id = $1", [appId]))[0].n);
    },
    async page(after, limit) {
      const users = (await rows("SELECT to_jsonb(u) AS r FROM _auth_user u WHERE app_id = $1 AND id > $2 ORDER BY id LIMIT $3", [appId, after, limit])).map((x) => x.r as Json);
      const ids = users.map((u) => String(u.id));
      const none = async (): Promise<Json[]> => [];
      const [identities, authenticators, codes, claims, roles, groups] = ids.length === 0 ? [[], [], [], [], [], []] : await Promise.all([
        // Each identity's and authenticator's own row by primary key (a correlated look-up, never a scan of the kind's table).
        rows(`SELECT i.id, i.type, i.user_id, extract(epoch FROM i.created_at)::bigint AS created_at, extract(epoch FROM i.updated_at)::bigint AS updated_at,
            (SELECT to_jsonb(l) FROM _auth_identity_login_id l WHERE l.id = i.id) AS login_id,
            (SELECT to_jsonb(o) FROM _auth_identity_oauth o WHERE o.id = i.id) AS oauth,
            ${kindRow("_auth_identity_passkey", "passkey", "i")}, ${kindRow("_auth_identity_biometric", "biometric", "i")},
            ${kindRow("_auth_identity_anonymous", "anonymous", "i")}
          FROM _auth_identity i WHERE i.user_id = ANY($1) ORDER BY i.created_at, i.id`, [ids]),
        rows(`SELECT a.id, a.type, a.kind, a.user_id, extract(epoch FROM a.created_at)::bigint AS created_at, a.is_default,
            (SELECT p.password_hash FROM _auth_authenticator_password p WHERE p.id = a.id) AS password_hash,
            (SELECT t.secret FROM _auth_authenticator_totp t WHERE t.id = a.id) AS secret,
            ${kindRow("_auth_authenticator_passkey", "passkey", "a")}
          FROM _auth_authenticator a WHERE a.user_id = ANY($1) ORDER BY a.created_at, a.id`, [ids]),
        rows("SELECT user_id, code, extract(epoch FROM created_at)::bigint AS created_at, extract(epoch FROM updated_at)::bigint AS updated_at, consumed FROM _auth_recovery_code WHERE user_id = ANY($1)", [ids]),
        rows("SELECT user_id, name, value FROM _auth_verified_claim WHERE user_id = ANY($1)", [ids]),
        has("_auth_role") ? rows("SELECT ur.user_id, r.key FROM _auth_user_role ur JOIN _auth_role r ON r.id = ur.role_id WHERE ur.user_id = ANY($1)", [ids]) : none(),
        has("_auth_role") ? rows("SELECT ug.user_id, g.key FROM _auth_user_group ug JOIN _auth_group g ON g.id = ug.group_id WHERE ug.user_id = ANY($1)", [ids]) : none(),
      ]);
      return {
        users,
        identities: byUser(identities, (r) => r),
        authenticators: byUser(authenticators, (r) => r),
        recoveryCodes: byUser(codes, (r) => r),
        verifiedClaims: byUser(claims, (r) => r),
        roleKeys: byUser(roles, (r) => String(r.key)),
        groupKeys: byUser(groups, (r) => String(r.key)),
      };
    },
    async rolesAndGroups() {
      if (!has("_auth_role")) return { roles: [], groups: [], groupRoles: [] };
      const [roles, groups, groupRoles] = await Promise.all([
        rows("SELECT to_jsonb(r) AS r FROM _auth_role r WHERE app_id = $1 ORDER BY key", [appId]),
        rows("SELECT to_jsonb(g) AS r FROM _auth_group g WHERE app_id = $1 ORDER BY key", [appId]),
        rows(`SELECT g.key AS group_key, r.key AS role_key FROM _auth_group_role gr JOIN _auth_group g ON g.id = gr.group_id
          JOIN _auth_role r ON r.id = gr.role_id WHERE gr.app_id = $1`, [appId]),
      ]);
      return { roles: roles.map((x) => x.r as Json), groups: groups.map((x) => x.r as Json), groupRoles: groupRoles as { group_key: string; role_key: string }[] };
    },
    close: () => pool.end(),
  };
}
