// Migration 8 on a database the code before it created (every migration main shipped: all but 7 and 8; users with the flat JSON
// roles list): every role becomes a role and a direct assignment, nothing is lost, and searches
// find the users by email and role. Both backends.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import Database from "better-sqlite3";
import pg from "pg";
import { openStorage } from "../../src/storage/open.ts";
import { postgresMigrations, sqliteMigrations } from "../../src/storage/schema-sql.ts";
import { POSTGRES_URL } from "./backends.ts";
import { T, skipPostgres } from "./fixtures.ts";

/** What main shipped before identities (7) and the profile (8): every other migration but those that name 7's table. */
const LANDED = (m: { version: number; sql: string }): boolean => m.version !== 7 && m.version !== 8 && !m.sql.includes("identities");

const OLD_USERS: [string, string, string[]][] = [
  ["u1", "ann@example.com", ["admin", "editor"]],
  ["u2", "bob@example.com", ["editor"]],
  ["u3", "cy@example.com", []],
  // Keys the older API allowed but Authgear's rule would not: kept as they are.
  ["u4", "dee@example.com", ["support-tier.2", "admin"]],
];
const INSERT = "INSERT INTO users (id, email, is_verified, is_anonymous, disabled, disabled_reason, roles, created_at, updated_at) VALUES ";

async function checkMigrated(url: string): Promise<void> {
  const s = await openStorage(url);
  try {
    await s.migrate();
    for (const [id, email, roles] of OLD_USERS) {
      const u = (await s.users.get(id))!;
      assert.equal(u.email, email);
      assert.deepEqual(u.roles.slice().sort(), roles.slice().sort());
      assert.deepEqual(u.standardAttributes, {});
      assert.deepEqual(u.customAttributes, {});
      assert.deepEqual((await s.assignments.ofUser(id))!.roles, roles.slice().sort());
    }
    assert.deepEqual((await s.roles.list({ limit: 10 })).items.map((r) => r.key).sort(), ["admin", "editor", "support-tier.2"]);
    const ids = async (o: Parameters<typeof s.userSearch.search>[0]): Promise<string[]> => (await s.userSearch.search(o)).items.map((u) => u.id).sort();
    assert.deepEqual(await ids({ role: "admin", limit: 10 }), ["u1", "u4"]);
    assert.deepEqual(await ids({ query: "bob@", limit: 10 }), ["u2"]);
    // The migrated roles behave like any other: a group change reaches the cache.
    const o = { at: T + 10, logUntil: T + 100 };
    await s.groups.create({ id: "g1", key: "staff", name: null, description: null, createdAt: T, updatedAt: T });
    await s.assignments.change({ kind: "group_role", groupKey: "staff" }, ["editor"], o);
    await s.assignments.change({ kind: "user_group", userId: "u3" }, ["staff"], o);
    assert.deepEqual((await s.users.get("u3"))!.roles, ["editor"]);
  } finally {
    await s.close();
  }
}

describe("migration 8 on a database made before it", () => {
  it("sqlite", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gatehouse-m8-"));
    try {
      const path = join(dir, "db.sqlite");
      const db = new Database(path);
      db.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
      for (const m of sqliteMigrations.filter(LANDED)) {
        db.exec(m.sql);
        db.prepare("INSERT INTO schema_migrations VALUES (?, ?, ?)").run(m.version, m.name, T);
      }
      for (const [id, email, roles] of OLD_USERS) db.prepare(`${INSERT} (?, ?, 0, 0, 0, NULL, ?, ?, ?)`).run(id, email, JSON.stringify(roles), T, T);
      db.close();
      await checkMigrated(`sqlite:${path}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("postgres", { skip: skipPostgres }, async () => {
    const schema = `gh_m8_${randomBytes(6).toString("hex")}`;
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA ${schema}; SET search_path = ${schema}`);
      await client.query("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
      for (const m of postgresMigrations.filter(LANDED)) {
        await client.query(m.sql);
        await client.query("INSERT INTO schema_migrations VALUES ($1, $2, $3)", [m.version, m.name, T]);
      }
      for (const [id, email, roles] of OLD_USERS) await client.query(`${INSERT} ($1, $2, FALSE, FALSE, FALSE, NULL, $3, $4, $4)`, [id, email, JSON.stringify(roles), T]);
      await checkMigrated(`${POSTGRES_URL}?schema=${schema}`);
    } finally {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  });
});
