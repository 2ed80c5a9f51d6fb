// The server under attack: a real Gatehouse on SQLite or PostgreSQL, seeded with one of everything
// the endpoints can find (a user, a browser session, an admin key, a pending authorization flow,
// pending logins at both steps), and a way to fingerprint every stored row.
import { createHash, randomBytes } from "node:crypto";
import Database from "better-sqlite3";
import pg from "pg";
import { CONFIDENTIAL_CLIENT, SPA_CLIENT, startTestServer, type TestServer } from "../support/server.ts";
import { POSTGRES_URL } from "../storage/backends.ts";
import { createAdminKey } from "../../src/admin/keys.ts";
import { createIdpSession } from "../../src/session/idp-sessions.ts";
import { randomId, randomToken, sha256 } from "../../src/crypto/secrets.ts";

export type Backend = "sqlite" | "postgres";

export interface Seeds {
  email: string;
  password: string;
  userId: string;
  /** `session` cookie value of a live browser session of the user. */
  session: string;
  adminKey: string;
  flowId: string;
  /** gh_pending cookie values at the TOTP step and at the verification step. */
  pendingTotp: string;
  pendingVerify: string;
}

export interface FuzzTarget {
  backend: Backend;
  port: number;
  issuer: string;
  server: TestServer;
  seeds: Seeds;
  /** Table name → "rowcount:sha256 of every row". */
  snapshot(): Promise<Map<string, string>>;
  close(): Promise<void>;
}

const FAR = 10 * 365 * 86400;

export async function startFuzzTarget(backend: Backend): Promise<FuzzTarget> {
  const schema = `gh_fuzz_${randomBytes(6).toString("hex")}`;
  const server = await startTestServer({
    ...(backend === "postgres" ? { databaseUrl: `${POSTGRES_URL}?schema=${schema}` } : {}),
    // The token endpoint's per-IP limit would turn nearly every case into a 429 before the grant
    // logic runs; the account limits stay as shipped (they are part of what is under attack).
    config: {
      oauth: { clients: [SPA_CLIENT, CONFIDENTIAL_CLIENT], rate_limits: { token_per_ip: { burst: 100_000_000 } } },
      // A social provider whose start needs no network (GitHub's endpoints are fixed).
      identity: { oauth: { providers: [{ alias: "github", type: "github", client_id: "fuzz", client_secret: "fuzz-secret" }] } },
      // Passkeys and codes by email as first factors too, so their endpoints are under attack as well
      // (account/passkeys, account/oob-otp); the test server's cheap argon2 kept.
      authentication: { identities: ["login_id", "oauth", "passkey"], primary_authenticators: ["password", "passkey", "oob_otp_email"], password_hash: { memory_kib: 8192, iterations: 1, parallelism: 1 } },
    },
  });
  const ctx = server.ctx;
  const email = "fuzz@example.com";
  const password = "fuzz-password-1";
  const userId = await server.createUser(email, password);
  const user = (await ctx.storage.users.get(userId))!;
  const session = (await createIdpSession(ctx, user, ["pwd"], { ip: "127.0.0.1", userAgent: "fuzz" })).cookieValue;
  const adminKey = (await createAdminKey(ctx, "fuzz")).key;
  const now = ctx.now();
  const flowId = randomToken();
  await ctx.storage.authFlows.create({
    id: flowId, clientId: "test-spa", createdAt: now, expiresAt: now + FAR,
    params: { client_id: "test-spa", redirect_uri: "http://127.0.0.1:9/callback", response_type: "code", scope: "openid offline_access", code_challenge: "a".repeat(43), code_challenge_method: "S256" },
  });
  const pending = async (stage: "totp" | "verify"): Promise<string> => {
    const id = randomId();
    const secret = randomToken();
    await ctx.storage.pendingLogins.create({ id, secretHash: sha256(secret), userId, email, flowId: null, stage, amr: ["pwd"], createdAt: now, expiresAt: now + FAR, consumedAt: null });
    return `${id}.${secret}`;
  };
  const seeds: Seeds = { email, password, userId, session, adminKey, flowId, pendingTotp: await pending("totp"), pendingVerify: await pending("verify") };
  const port = Number(new URL(server.url).port);

  let snapshot: () => Promise<Map<string, string>>;
  let closeReader: () => Promise<void>;
  if (backend === "sqlite") {
    const db = new Database(ctx.config.database.url.replace(/^sqlite:/, ""), { readonly: true });
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    snapshot = async () => new Map(tables.map((t) => [t, fingerprint(db.prepare(`SELECT * FROM "${t}"`).raw().all() as unknown[][])]));
    closeReader = async () => { db.close(); };
  } else {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    const tables = (await client.query("SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name", [schema])).rows.map((r: { table_name: string }) => r.table_name);
    snapshot = async () => {
      const out = new Map<string, string>();
      for (const t of tables) out.set(t, fingerprint((await client.query({ text: `SELECT * FROM ${schema}."${t}"`, rowMode: "array" })).rows));
      return out;
    };
    closeReader = async () => {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await client.end();
    };
  }

  return {
    backend, port, issuer: server.url, server, seeds,
    async snapshot() {
      // Emails leave in the background after the answer: let them land before looking.
      await ctx.mailer.idle();
      return snapshot();
    },
    async close() {
      await server.close();
      await closeReader();
    },
  };
}

function fingerprint(rows: unknown[][]): string {
  const lines = rows.map((r) => JSON.stringify(r, (_k, v) => (typeof v === "bigint" ? String(v) : Buffer.isBuffer(v) ? v.toString("hex") : v))).sort();
  return `${rows.length}:${createHash("sha256").update(lines.join("\n")).digest("hex").slice(0, 16)}`;
}

/** The tables whose fingerprint differs between two snapshots. */
export function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...after.keys()].filter((t) => before.get(t) !== after.get(t));
}
