// The storage backends every contract test runs against: SQLite in a temp file, and PostgreSQL
// (127.0.0.1:5432, database `test`, trust auth) in a fresh schema dropped afterwards.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { openSqlite } from "../../src/storage/sqlite/index.ts";
import { openPostgres } from "../../src/storage/postgres/index.ts";
import type { Storage } from "../../src/storage/ports.ts";

export const POSTGRES_URL = process.env.GATEHOUSE_TEST_POSTGRES ?? "postgres://postgres@127.0.0.1:5432/test";

export interface Backend {
  name: string;
  open(): Promise<{ storage: Storage; url: string; drop(): Promise<void> }>;
}

export const backends: Backend[] = [
  {
    name: "sqlite",
    async open() {
      const dir = mkdtempSync(join(tmpdir(), "gatehouse-store-"));
      const path = join(dir, "db.sqlite");
      return { storage: openSqlite(path), url: `sqlite:${path}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: "postgres",
    async open() {
      const schema = `gh_test_${randomBytes(6).toString("hex")}`;
      const url = `${POSTGRES_URL}?schema=${schema}`;
      return {
        storage: openPostgres(url),
        url,
        async drop() {
          const client = new pg.Client({ connectionString: POSTGRES_URL });
          await client.connect();
          await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
          await client.end();
        },
      };
    },
  },
];
