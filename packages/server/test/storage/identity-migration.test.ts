// Migration 7 (identities) on a database the landed code made: every other migration applied as
// it shipped (1–6 and 9 when this was written), rows written with the statements the landed stores use (their column lists), then the
// current code migrates it. Nothing may be lost, every user gets its email login ID, and the
// foreign keys of the rebuilt SQLite users table still hold (and still cascade).
import { describe, it, after } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import pg from "pg";
import { openStorage } from "../../src/storage/open.ts";
import { splitSchema } from "../../src/storage/postgres/index.ts";
import { postgresMigrations, sqliteMigrations, type Migration } from "../../src/storage/schema-sql.ts";
import {
  CODE_COLUMNS, GRANT_COLUMNS, SESSION_COLUMNS, USER_COLUMNS, codeValues, grantValues, sessionValues, userValues,
} from "../../src/storage/rows.ts";
import { PENDING_LOGIN_COLUMNS, pendingLoginValues } from "../../src/storage/account-rows.ts";
import type { Storage, User } from "../../src/storage/ports.ts";
import { backends } from "./backends.ts";
import { T, newCode, newGrant, newSession, newUser, skipPostgres } from "./fixtures.ts";

const MIGRATION = 7;
const TABLES = ["users", "passwords", "idp_sessions", "offline_grants", "authorization_codes", "totp_authenticators", "recovery_codes", "pending_logins", "one_time_codes", "audit_log"];

/** The old database, spoken to with its own driver (the current stores expect the new schema). */
interface OldDb {
  exec(sql: string): Promise<void>;
  insert(table: string, cols: readonly string[], values: unknown[]): Promise<void>;
  count(table: string): Promise<number>;
  close(): Promise<void>;
}

async function oldDb(backend: string, url: string): Promise<{ db: OldDb; migrations: Migration[]; bool: (b: boolean) => unknown }> {
  if (backend === "sqlite") {
    const db = new Database(url.slice("sqlite:".length));
    db.pragma("foreign_keys = ON");
    return {
      migrations: sqliteMigrations,
      bool: (b) => (b ? 1 : 0),
      db: {
        exec: async (sql) => void db.exec(sql),
        insert: async (table, cols, values) => void db.prepare(`INSERT INTO ${table} (${cols.join(", ")}) VALUES (${cols.map(() => "?").join(", ")})`).run(...values),
        count: async (table) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n,
        close: async () => void db.close(),
      },
    };
  }
  const { url: plain, schema } = splitSchema(url);
  const client = new pg.Client({ connectionString: plain });
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.query(`SET search_path = ${schema}`);
  return {
    migrations: postgresMigrations,
    bool: (b) => b,
    db: {
      exec: async (sql) => void (await client.query(sql)),
      insert: async (table, cols, values) => void (await client.query(`INSERT INTO ${table} (${cols.join(", ")}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(", ")})`, values)),
      count: async (table) => Number((await client.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n),
      close: () => client.end(),
    },
  };
}

for (const backend of backends) {
  describe(`migration 7 (identities) on a landed database: ${backend.name}`, { skip: backend.name === "postgres" && skipPostgres }, () => {
    let storage: Storage | undefined;
    let drop: (() => Promise<void>) | undefined;
    after(async () => {
      await storage?.close();
      await drop?.();
    });

    it("keeps every row, gives each user its email login ID, and keeps the foreign keys", async () => {
      const opened = await backend.open();
      drop = opened.drop;
      await opened.storage.close();
      const { db, migrations, bool } = await oldDb(backend.name, opened.url);
      await db.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
      // Migration 8 (profile), and any later one that names 7's table, build on 7 and had not landed either.
      for (const m of migrations.filter((x) => x.version !== MIGRATION && x.version !== 8 && !x.sql.includes("identities"))) {
        await db.exec(m.sql);
        await db.insert("schema_migrations", ["version", "name", "applied_at"], [m.version, m.name, T]);
      }
      const users: User[] = [
        newUser({ email: `ann.${randomUUID()}@example.com`, isVerified: true, roles: ["admin", "staff"] }),
        newUser({ email: `bob.${randomUUID()}@example.org`, disabled: true, disabledReason: "left", createdAt: T - 5 }),
        newUser({ email: `cy.${randomUUID()}@example.net`, isAnonymous: true, updatedAt: T + 9 }),
      ];
      // The columns users had when migration 7 landed (migration 8 added the profile's two).
      const landed = USER_COLUMNS.length - 2;
      for (const u of users) await db.insert("users", USER_COLUMNS.slice(0, landed), userValues(u, bool).slice(0, landed));
      const [ann, bob] = users;
      await db.insert("passwords", ["user_id", "hash", "updated_at"], [ann.id, "$argon2id$ann", T]);
      await db.insert("passwords", ["user_id", "hash", "updated_at"], [bob.id, "$argon2id$bob", T]);
      const session = newSession(ann.id);
      await db.insert("idp_sessions", SESSION_COLUMNS, sessionValues(session));
      await db.insert("idp_sessions", SESSION_COLUMNS, sessionValues(newSession(bob.id)));
      const grant = newGrant(ann.id, { idpSessionId: session.id, previousTokenHash: "old", rotatedAt: T + 1, rotationSalt: "salt" });
      await db.insert("offline_grants", GRANT_COLUMNS, grantValues(grant));
      const code = newCode(ann.id, { idpSessionId: session.id });
      await db.insert("authorization_codes", CODE_COLUMNS, codeValues(code));
      await db.insert("totp_authenticators", ["user_id", "secret", "created_at", "confirmed_at", "last_used_step"], [ann.id, "JBSWY3DP", T, T, 7]);
      for (const h of ["rc1", "rc2"]) await db.insert("recovery_codes", ["user_id", "code_hash", "created_at"], [ann.id, h, T]);
      const pending = { id: randomUUID(), secretHash: "sh", userId: bob.id, email: bob.email!, flowId: null, stage: "totp" as const, amr: ["pwd"], createdAt: T, expiresAt: T + 600, consumedAt: null };
      await db.insert("pending_logins", PENDING_LOGIN_COLUMNS, pendingLoginValues(pending));
      await db.insert("one_time_codes", ["purpose", "user_id", "target", "code_hash", "created_at", "expires_at"], ["verify_email", bob.id, bob.email, "ch", T, T + 600]);
      await db.insert("audit_log", ["at", "actor", "action", "target_type", "target_id", "details"], [T, "cli", "user.create", "user", ann.id, "{}"]);
      const counts = new Map<string, number>();
      for (const t of TABLES) counts.set(t, await db.count(t));
      await db.close();

      storage = await openStorage(opened.url);
      await storage.migrate();
      const s = storage;

      for (const u of users) assert.deepEqual(await s.users.get(u.id), u);
      assert.equal(await s.passwords.get(ann.id), "$argon2id$ann");
      assert.deepEqual(await s.sessions.get(session.id), session);
      assert.deepEqual(await s.offlineGrants.get(grant.id), grant);
      assert.deepEqual(await s.codes.get(code.codeHash), code);
      assert.equal((await s.totp.get(ann.id))?.lastUsedStep, 7);
      assert.equal(await s.recoveryCodes.countUnused(ann.id), 2);
      assert.deepEqual(await s.pendingLogins.get(pending.id), pending);
      for (const u of users) {
        const ids = await s.identities.listByUser(u.id);
        assert.equal(ids.length, 1, `one identity for ${u.email}`);
        assert.deepEqual({ ...ids[0], id: "" }, {
          id: "", userId: u.id, type: "login_id", loginIdKey: "email", loginIdType: "email", loginId: u.email, originalLoginId: u.email,
          providerAlias: null, providerSubject: null, claims: { email: u.email }, createdAt: u.createdAt, updatedAt: u.updatedAt,
        });
        assert.match(ids[0].id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      }
      // Nothing lost anywhere (row counts through the storage's own connection after migrating).
      const after = await rowCounts(backend.name, opened.url);
      for (const t of TABLES) assert.equal(after.get(t), counts.get(t), `rows in ${t}`);
      // The new model works on the migrated database: emailless users, uniqueness.
      const phoneOnly = newUser({ email: null });
      assert.ok(await s.users.create(phoneOnly, null));
      assert.equal(await s.users.create(newUser({ email: ann.email!.toUpperCase() }), null), null);
      // Foreign keys to the rebuilt users table still hold and still cascade.
      await assert.rejects(s.sessions.create(newSession(`missing-${randomUUID()}`)));
      await s.cascades.deleteUser(ann.id, { at: T, logUntil: T + 60 });
      assert.equal(await s.sessions.get(session.id), null);
      assert.equal(await s.offlineGrants.get(grant.id), null);
      assert.equal(await s.passwords.get(ann.id), null);
      assert.deepEqual(await s.identities.listByUser(ann.id), []);
      assert.deepEqual(await s.users.get(bob.id), bob);
    });
  });
}

async function rowCounts(backend: string, url: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (backend === "sqlite") {
    const db = new Database(url.slice("sqlite:".length), { readonly: true });
    for (const t of TABLES) counts.set(t, (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n);
    db.close();
    return counts;
  }
  const { url: plain, schema } = splitSchema(url);
  const client = new pg.Client({ connectionString: plain });
  await client.connect();
  for (const t of TABLES) counts.set(t, Number((await client.query(`SELECT count(*) AS n FROM ${schema}.${t}`)).rows[0].n));
  await client.end();
  return counts;
}
