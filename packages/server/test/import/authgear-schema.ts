// An Authgear database for tests and the bench: Authgear's own migration files (fixtures/authgear-migrations,
// copied from authgear/authgear-server, commit in the README there) applied to a fresh PostgreSQL schema
// the way Authgear's `database migrate` does — each file's `-- +migrate Up` part in its own transaction
// with the search path set to the schema, recorded in `_auth_migration`.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";

const DIR = join(import.meta.dirname, "fixtures", "authgear-migrations");

export function authgearMigrations(): { id: string; up: string }[] {
  return readdirSync(DIR).filter((f) => f.endsWith(".sql")).sort().map((id) => {
    const text = readFileSync(join(DIR, id), "utf8");
    const up = text.split("-- +migrate Down")[0].replace("-- +migrate Up", "");
    return { id, up };
  });
}

/** `before`: only the migrations whose file name sorts before it (an older Authgear's database). */
export async function createAuthgearSchema(url: string, schema: string, o: { before?: string } = {}): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error("schema name");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.query(`CREATE TABLE ${schema}._auth_migration (id text PRIMARY KEY, applied_at timestamptz)`);
    for (const m of authgearMigrations().filter((x) => o.before === undefined || x.id < o.before!)) {
      await client.query("BEGIN");
      await client.query(`SET LOCAL search_path TO ${schema}`);
      await client.query(m.up);
      await client.query("INSERT INTO _auth_migration (id, applied_at) VALUES ($1, now())", [m.id]);
      await client.query("COMMIT");
    }
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    await client.end();
  }
}
