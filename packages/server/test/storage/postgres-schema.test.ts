// PostgreSQL only: where the tables go (`?schema=` in the URL or the option) and which names pass.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { openPostgres, splitSchema } from "../../src/storage/postgres/index.ts";
import { POSTGRES_URL } from "./backends.ts";

const skipPostgres = process.env.GATEHOUSE_SKIP_POSTGRES === "1" ? "GATEHOUSE_SKIP_POSTGRES=1" : false;

describe("postgres: choosing the schema", { skip: skipPostgres }, () => {
  it("takes it from ?schema= or from options, and refuses names that are not identifiers", async () => {
    assert.deepEqual(splitSchema("postgres://h:5432/db?sslmode=disable&schema=gh_a"), { url: "postgres://h:5432/db?sslmode=disable", schema: "gh_a" });
    assert.deepEqual(splitSchema("postgres://h/db"), { url: "postgres://h/db", schema: null });
    assert.throws(() => openPostgres(POSTGRES_URL, { schema: "a; DROP TABLE users" }));
    const schema = `gh_test_${randomBytes(6).toString("hex")}`;
    const s = openPostgres(POSTGRES_URL, { schema });
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    try {
      await s.migrate();
      const now = 1_700_000_000;
      const u = (await s.users.create({ id: randomUUID(), email: "schema@example.com", isVerified: false, isAnonymous: false, disabled: false, disabledReason: null, roles: [], standardAttributes: {}, customAttributes: {}, createdAt: now, updatedAt: now }, null))!;
      const found = await admin.query(`SELECT id FROM ${schema}.users`);
      assert.deepEqual(found.rows, [{ id: u.id }]);
    } finally {
      await s.close();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  });
});
