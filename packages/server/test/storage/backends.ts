// The storage backends every contract test runs against: SQLite in a temp file, and PostgreSQL
// (127.0.0.1:5432, database `test`, trust auth) in a fresh schema dropped afterwards.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { openSqlite } from "../../src/storage/sqlite/index.ts";
import { openPostgres } from "../../src/storage/postgres/index.ts";
import { before, after } from "node:test";
import type { Storage, User } from "../../src/storage/ports.ts";
import { newUser } from "./fixtures.ts";

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

/**
 * For a contract suite: opens `backend`'s storage (migrated) before the suite's cases and closes and
 * drops it after. The value returned stands for that storage — each property is read from it when
 * used — so cases write `s.users.get(…)` as they would with the storage itself.
 */
export function suiteStorage(backend: Backend): Storage {
  let opened: Storage | undefined;
  let drop: (() => Promise<void>) | undefined;
  before(async () => {
    ({ storage: opened, drop } = await backend.open());
    await opened.migrate();
  });
  after(async () => {
    await opened?.close();
    await drop?.();
  });
  return new Proxy({} as Storage, {
    get(_target, key) {
      if (!opened) throw new Error(`${backend.name} storage is not open: use it inside a case`);
      return opened[key as keyof Storage];
    },
  });
}

/** A user that exists in `s`, for rows that reference users. */
export const existingUser = (s: Storage) => async (over: Partial<User> = {}): Promise<User> => (await s.users.create(newUser(over), null))!;
