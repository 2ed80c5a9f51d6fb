// The databases a server-level test runs on: its own temporary SQLite file (the default), and
// PostgreSQL in a fresh schema dropped afterwards. `skip` follows the storage suites' rule.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { POSTGRES_URL } from "../storage/backends.ts";
import { skipPostgres } from "../storage/fixtures.ts";

export interface TestDatabase {
  name: string;
  /** For startTestServer's `databaseUrl`; undefined means a temporary SQLite file. */
  url: string | undefined;
  skip: string | false;
  drop(): Promise<void>;
}

export function testDatabases(): TestDatabase[] {
  const schema = `gh_test_${randomBytes(6).toString("hex")}`;
  return [
    { name: "SQLite", url: undefined, skip: false, drop: async () => {} },
    {
      name: "PostgreSQL",
      url: `${POSTGRES_URL}?schema=${schema}`,
      skip: skipPostgres,
      async drop() {
        const client = new pg.Client({ connectionString: POSTGRES_URL });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await client.end();
      },
    },
  ];
}
