#!/usr/bin/env node
// Audit log paging at 100k entries, on SQLite and PostgreSQL: the first, a middle and the last
// page (50 entries), unfiltered, by user and by event type, timed through the storage port
// (ctx.storage.auditLog.list) and through the admin API endpoint (GET /_api/admin/audit-log, which
// also names the key and the users). For contrast, the same last page fetched with OFFSET.
// Not part of `npm test` or `npm run bench`:  node bench/audit-log.mjs [--entries N] [--runs N]
import { register } from "tsx/esm/api";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes, randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import pg from "pg";

register();
const { createContext, buildApp } = await import("../packages/server/src/app.ts");
const { parseConfig } = await import("../packages/server/src/config/load.ts");
const { createAdminKey } = await import("../packages/server/src/admin/keys.ts");

const { values } = parseArgs({ options: { entries: { type: "string", default: "100000" }, runs: { type: "string", default: "15" } } });
const ENTRIES = Number(values.entries);
const RUNS = Number(values.runs);
const USERS = 1000;
const PAGE = 50;
const POSTGRES_URL = process.env.GATEHOUSE_TEST_POSTGRES ?? "postgres://postgres@127.0.0.1:5432/test";
const ACTIONS = ["user.authenticated", "authentication.failed.primary.password", "user.session.terminated", "authentication.blocked", "user.update"];

/** Rows to insert: users, then entries spread over them and over the actions, with key actors. */
function fixture(keyId) {
  const users = Array.from({ length: USERS }, (_, i) => ({ id: randomUUID(), email: `user${i}@example.com` }));
  const entries = Array.from({ length: ENTRIES }, (_, i) => {
    const u = users[i % USERS];
    const action = ACTIONS[i % ACTIONS.length];
    return [1_700_000_000 + i, action === "user.update" ? `key:${keyId}` : `user:${u.id}`, action, "user", u.id, JSON.stringify({ ip: "203.0.113.7", email: u.email })];
  });
  return { users, entries };
}

async function fillSqlite(file, rows) {
  const db = new Database(file);
  db.transaction(() => {
    const user = db.prepare("INSERT INTO users (id, email, created_at, updated_at) VALUES (?, ?, 1700000000, 1700000000)");
    for (const u of rows.users) user.run(u.id, u.email);
    const entry = db.prepare("INSERT INTO audit_log (at, actor, action, target_type, target_id, details) VALUES (?, ?, ?, ?, ?, ?)");
    for (const e of rows.entries) entry.run(...e);
  })();
  const offset = (n) => db.prepare("SELECT * FROM audit_log ORDER BY id DESC LIMIT ? OFFSET ?").all(PAGE + 1, n);
  return { offset, close: () => db.close() };
}

async function fillPostgres(url, schema, rows) {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(`SET search_path TO ${schema}`);
  await client.query("BEGIN");
  for (let i = 0; i < rows.users.length; i += 500) {
    const chunk = rows.users.slice(i, i + 500);
    await client.query(`INSERT INTO users (id, email, created_at, updated_at) SELECT * FROM unnest($1::text[], $2::text[]) AS t(id, email), LATERAL (SELECT 1700000000::bigint, 1700000000::bigint) AS x(c, u)`, [chunk.map((u) => u.id), chunk.map((u) => u.email)]);
  }
  for (let i = 0; i < rows.entries.length; i += 5000) {
    const chunk = rows.entries.slice(i, i + 5000);
    const cols = [0, 1, 2, 3, 4, 5].map((c) => chunk.map((e) => e[c]));
    await client.query("INSERT INTO audit_log (at, actor, action, target_type, target_id, details) SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])", cols);
  }
  await client.query("COMMIT");
  await client.query("ANALYZE audit_log");
  const offset = async (n) => (await client.query("SELECT * FROM audit_log ORDER BY id DESC LIMIT $1 OFFSET $2", [PAGE + 1, n])).rows;
  return { offset, close: () => client.end() };
}

async function time(fn) {
  await fn(); // warm: statement cache, pool connection, page cache
  const samples = [];
  for (let i = 0; i < RUNS; i++) {
    const t = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

async function measure(name, databaseUrl, fill) {
  const config = parseConfig({ database: { url: databaseUrl }, http: { listen: "127.0.0.1:0", public_origin: "http://127.0.0.1:9" } });
  const ctx = await createContext(config, { redis: false });
  const { id: keyId, key } = await createAdminKey(ctx, "bench");
  const rows = fixture(keyId);
  const t0 = Date.now();
  const raw = await fill(rows);
  const fillSeconds = (Date.now() - t0) / 1000;
  const app = await buildApp(ctx);
  await app.listen({ host: "127.0.0.1", port: 0 });
  const base = `http://127.0.0.1:${app.server.address().port}/_api/admin/audit-log`;

  const someUser = rows.users[7].id;
  const filters = [
    ["all entries", {}, ENTRIES],
    ["one user", { targetId: someUser }, ENTRIES / USERS],
    ["one event type", { action: "authentication.blocked" }, ENTRIES / ACTIONS.length],
  ];
  const results = [];
  for (const [label, filter, count] of filters) {
    // Cursors for the first, a middle and the last page: the ids the API would hand out.
    const ids = (await ctx.storage.auditLog.list({ ...filter, limit: Math.min(count, 200_000) })).items.map((e) => e.id);
    const cursors = { first: undefined, middle: String(ids[Math.floor(ids.length / 2)]), last: String(ids[Math.max(0, ids.length - PAGE - 1)]) };
    for (const [where, cursor] of Object.entries(cursors)) {
      const port = await time(() => ctx.storage.auditLog.list({ ...filter, cursor, limit: PAGE }));
      const q = new URLSearchParams({ limit: String(PAGE), ...(cursor ? { cursor } : {}), ...(filter.targetId ? { user_id: filter.targetId } : {}), ...(filter.action ? { action: filter.action } : {}) });
      const api = await time(async () => {
        const res = await fetch(`${base}?${q}`, { headers: { authorization: `Bearer ${key}` } });
        const body = await res.json();
        if (res.status !== 200 || body.items.length === 0) throw new Error(`${res.status} ${JSON.stringify(body).slice(0, 200)}`);
      });
      results.push({ filter: label, page: where, port, api });
    }
  }
  const offsetLast = await time(() => raw.offset(ENTRIES - PAGE));
  await app.close();
  await raw.close();
  return { name, fillSeconds, results, offsetLast };
}

const dir = mkdtempSync(join(tmpdir(), "gatehouse-audit-bench-"));
const schema = `gh_bench_${randomBytes(4).toString("hex")}`;
const out = [];
try {
  const file = join(dir, "audit.db");
  out.push(await measure("SQLite", `sqlite:${file}`, (rows) => fillSqlite(file, rows)));
  out.push(await measure("PostgreSQL", `${POSTGRES_URL}?schema=${schema}`, (rows) => fillPostgres(POSTGRES_URL, schema, rows)));
} finally {
  rmSync(dir, { recursive: true, force: true });
  const c = new pg.Client({ connectionString: POSTGRES_URL });
  await c.connect().then(() => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)).finally(() => c.end());
}

const ms = (n) => n.toFixed(2).padStart(7);
console.log(`audit log: ${ENTRIES} entries over ${USERS} users, pages of ${PAGE}, median of ${RUNS} runs (ms)\n`);
for (const r of out) {
  console.log(`${r.name} (filled in ${r.fillSeconds.toFixed(1)} s)`);
  console.log("  filter          page     storage port   admin API");
  for (const x of r.results) console.log(`  ${x.filter.padEnd(15)} ${x.page.padEnd(7)} ${ms(x.port)}        ${ms(x.api)}`);
  console.log(`  for contrast, the last page by OFFSET ${ENTRIES - PAGE}: ${ms(r.offsetLast).trim()} ms\n`);
}
