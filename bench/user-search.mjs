#!/usr/bin/env node
// User search at 1M users (issue 13): loads N users (default 1,000,000) into a temporary SQLite
// database and into a PostgreSQL schema of its own, then runs representative searches through the
// storage port (storage.userSearch.search, what the admin API calls) and prints median and p95 ms.
//
//   node bench/user-search.mjs [--users 1000000] [--runs 200] [--postgres postgres://postgres@127.0.0.1:5432/test] [--no-postgres] [--no-sqlite]
//
// The rows are generated inside the database (a recursive CTE in SQLite, generate_series in
// PostgreSQL): a bulk load in one statement per table, after migrate() made the schema. Each user
// has an email, a phone and a username login-ID term (as the identities model writes them), a
// given name, two custom attributes; every 10th user holds role `editor`, every 1000th `admin`,
// every 100th is in group `staff`. PostgreSQL gets VACUUM ANALYZE after the load, as autovacuum would
// leave a live database (without it, index-only scans visit the heap for every row of a fresh load).
import { register } from "tsx/esm/api";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";

register();
const { openStorage } = await import("../packages/server/src/storage/open.ts");

const { values: opts } = parseArgs({
  options: {
    users: { type: "string", default: "1000000" },
    runs: { type: "string", default: "200" },
    postgres: { type: "string", default: "postgres://postgres@127.0.0.1:5432/test" },
    "no-postgres": { type: "boolean", default: false },
    "no-sqlite": { type: "boolean", default: false },
  },
});
const N = Number(opts.users);
const RUNS = Number(opts.runs);
const pad = (i) => String(i).padStart(7, "0");
const rand = () => 1 + Math.floor(Math.random() * N);

// One generator per table, in each dialect's words; `i` runs 1..N.
function loadSql(series) {
  const t = (expr, where = "") => `INSERT INTO user_search_terms (term, user_id) SELECT ${expr}, 'u' || ${series.pad} FROM ${series.from} ${where}`;
  return [
    `INSERT INTO users (id, email, is_verified, is_anonymous, disabled, disabled_reason, roles, created_at, updated_at, standard_attributes, custom_attributes)
     SELECT 'u' || ${series.pad}, 'user' || i || '@example.com', ${series.true}, ${series.false}, ${series.false}, NULL,
       CASE WHEN i % 1000 = 0 THEN '["admin","editor"]' WHEN i % 10 = 0 THEN '["editor"]' ELSE '[]' END, 1700000000 + i, 1700000000 + i,
       '{"given_name":"Name' || (i % 5000) || '"}', '{"c1":"M' || ${series.pad} || '","c2":"' || CASE i % 3 WHEN 0 THEN 'gold' WHEN 1 THEN 'silver' ELSE 'bronze' END || '"}'
     FROM ${series.from}`,
    t("'v:user' || i || '@example.com'"),
    t(`'v:+8529' || ${series.pad}`),
    t("'v:player' || i"),
    t("'v:name' || (i % 5000)"),
    t(`'v:m' || ${series.pad}`),
    t("'v:' || CASE i % 3 WHEN 0 THEN 'gold' WHEN 1 THEN 'silver' ELSE 'bronze' END"),
    t("'r:editor'", "WHERE i % 10 = 0"),
    t("'r:admin'", "WHERE i % 1000 = 0"),
    t("'g:staff'", "WHERE i % 100 = 0"),
  ];
}

const searches = [
  ["exact email", () => ({ query: `user${rand()}@example.com` })],
  ["email prefix", () => ({ query: `user${rand() % 100000}` })],
  ["phone (exact)", () => ({ query: `+8529${pad(rand())}` })],
  ["username (exact)", () => ({ query: `player${rand()}` })],
  ["custom attribute value (exact)", () => ({ query: `M${pad(rand())}` })],
  ["custom attribute value (333k users)", () => ({ query: "gold" })],
  ["given name (200 users)", () => ({ query: `Name${rand() % 5000}` })],
  ["role admin (1k users)", () => ({ role: "admin" })],
  ["role editor (100k users)", () => ({ role: "editor" })],
  ["group staff (10k users)", () => ({ group: "staff" })],
  ["email prefix + role admin", () => ({ query: "user1", role: "admin" })],
];

async function measure(storage, label) {
  const rows = [];
  for (const [name, make] of searches) {
    for (let i = 0; i < 10; i++) await storage.userSearch.search({ ...make(), limit: 50 });
    const ms = [];
    let found = 0;
    for (let i = 0; i < RUNS; i++) {
      const t0 = process.hrtime.bigint();
      const page = await storage.userSearch.search({ ...make(), limit: 50 });
      ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
      found += page.items.length;
    }
    ms.sort((a, b) => a - b);
    rows.push({ backend: label, search: name, median_ms: +ms[Math.floor(ms.length / 2)].toFixed(3), p95_ms: +ms[Math.floor(ms.length * 0.95)].toFixed(3), avg_found: +(found / RUNS).toFixed(1) });
  }
  console.table(rows);
  return rows;
}

const timed = async (what, fn) => {
  const t0 = Date.now();
  await fn();
  console.log(`${what}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
};

// SQLite
if (!opts["no-sqlite"]) {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-search-bench-"));
  const path = join(dir, "db.sqlite");
  try {
    const storage = await openStorage(`sqlite:${path}`);
    await storage.migrate();
    const { default: Database } = await import("better-sqlite3");
    const db = new Database(path);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = OFF");
    const series = { from: `(WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${N}) SELECT i FROM s)`, pad: "printf('%07d', i)", true: "1", false: "0" };
    await timed(`sqlite: load ${N} users`, () => db.transaction(() => { for (const sql of loadSql(series)) db.exec(sql); db.exec("ANALYZE"); })());
    db.close();
    await measure(storage, "sqlite");
    await storage.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// PostgreSQL
if (!opts["no-postgres"]) {
  const schema = `gh_search_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: opts.postgres });
  await admin.connect();
  try {
    const storage = await openStorage(`${opts.postgres}?schema=${schema}`);
    await storage.migrate();
    await admin.query(`SET search_path = ${schema}`);
    const series = { from: `generate_series(1, ${N}) AS i`, pad: "lpad(i::text, 7, '0')", true: "TRUE", false: "FALSE" };
    await timed(`postgres: load ${N} users`, async () => { for (const sql of loadSql(series)) await admin.query(sql); await admin.query("VACUUM ANALYZE"); });
    await measure(storage, "postgres");
    await storage.close();
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
}
