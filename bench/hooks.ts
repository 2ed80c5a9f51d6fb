// Webhook costs (issue #16), short runs: `node --import tsx bench/hooks.ts`.
//  1. The latency a blocking hook adds to a sign-in: a real sign-in through the hosted login page and
//     the code exchange, with and without an oidc.jwt.pre_create handler on loopback (median of N).
//  2. The outbox's delivery rate (events/s) on SQLite and PostgreSQL: N events of 50 users emitted,
//     then one delivery worker posts them to a loopback receiver; time until all are delivered.
// Writes bench/results/hooks.md.
import { writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { startTestServer } from "../packages/server/test/support/server.ts";
import { UserAgent, finishAtApp, submitLogin } from "../packages/server/test/account/fixture.ts";
import { startReceiver } from "../packages/server/test/hooks/receiver.ts";
import { openSqlite } from "../packages/server/src/storage/sqlite/index.ts";
import { openPostgres } from "../packages/server/src/storage/postgres/index.ts";
import { parseConfig } from "../packages/server/src/config/load.ts";
import { emitEvent } from "../packages/server/src/hooks/emit.ts";
import { startDelivery } from "../packages/server/src/hooks/delivery.ts";
import { runBlocking } from "../packages/server/src/hooks/blocking.ts";
import type { Storage } from "../packages/server/src/storage/ports.ts";

const SECRET = "bench-webhook-secret-0123456789";
const SIGN_INS = Number(process.env.N_SIGN_INS ?? 15);
const EVENTS = Number(process.env.N_EVENTS ?? 500);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function signInTimes(hook: Record<string, unknown>): Promise<number[]> {
  const server = await startTestServer({ config: { hook: { x_webhook_secret: SECRET, ...hook } } });
  try {
    await server.createUser("bench@example.com", "correct horse battery");
    const times: number[] = [];
    for (let i = 0; i < SIGN_INS + 2; i++) {
      const agent = new UserAgent();
      const t = performance.now();
      await finishAtApp(server, agent, await submitLogin(server, agent, "bench@example.com", "correct horse battery"));
      if (i >= 2) times.push(performance.now() - t); // two warm-up rounds
    }
    return times;
  } finally {
    await server.close();
  }
}

async function deliveryRate(name: string, storage: Storage): Promise<number> {
  await storage.migrate();
  const receiver = await startReceiver(SECRET);
  const config = parseConfig({ hook: { x_webhook_secret: SECRET, non_blocking_handlers: [{ events: ["*"], url: receiver.url }], x_delivery: { concurrency: 16, poll_interval_seconds: 0.05 } } });
  for (let i = 0; i < EVENTS; i++) {
    await storage.atomic(() => emitEvent({ config, storage }, { type: "user.created", userId: `u${i % 50}`, payload: { user: { id: `u${i % 50}` } } }, { triggeredBy: "system" }));
  }
  const t = performance.now();
  const worker = startDelivery({ config, storage, log: { warn: () => undefined, error: () => undefined } });
  await receiver.waitFor(() => receiver.delivered().length >= EVENTS, 600_000);
  const seconds = (performance.now() - t) / 1000;
  await worker.stop();
  await receiver.close();
  await storage.close();
  console.log(`${name}: ${EVENTS} events in ${seconds.toFixed(2)} s`);
  return EVENTS / seconds;
}

// The round trip alone: runBlocking against the same loopback receiver, median of 100 calls.
async function roundTrips(url: string): Promise<number[]> {
  const config = parseConfig({ hook: { x_webhook_secret: SECRET, blocking_handlers: [{ event: "oidc.jwt.pre_create", url }] } });
  const times: number[] = [];
  for (let i = 0; i < 105; i++) {
    const t = performance.now();
    await runBlocking({ config, log: { warn: () => undefined, error: () => undefined } }, "oidc.jwt.pre_create", { user: { id: "u" }, jwt: { payload: { sub: "u" } } }, { triggeredBy: "user" }, "u");
    if (i >= 5) times.push(performance.now() - t);
  }
  return times;
}

const receiver = await startReceiver(SECRET, (e) => ({ status: 200, body: { is_allowed: true, mutations: { jwt: { payload: { ...e.payload.jwt.payload, tenant: "acme" } } } } }));
const plain = await signInTimes({});
const hooked = await signInTimes({ blocking_handlers: [{ event: "oidc.jwt.pre_create", url: receiver.url }] });
const trips = await roundTrips(receiver.url);
await receiver.close();

const sqliteRate = await deliveryRate("sqlite", openSqlite(":memory:"));
const schema = `gh_bench_${randomBytes(4).toString("hex")}`;
const pgUrl = process.env.GATEHOUSE_TEST_POSTGRES ?? "postgres://postgres@127.0.0.1:5432/test";
const pgRate = await deliveryRate("postgres", openPostgres(`${pgUrl}?schema=${schema}`));
const c = new pg.Client({ connectionString: pgUrl });
await c.connect();
await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
await c.end();

const report = `# Webhooks (bench/hooks.ts)

Measured ${new Date().toISOString()} on the shared 2-core machine (load average during the run: see
\`uptime\`; other sessions were running), so absolute figures are pessimistic; compare within a run.

| What | Result |
|---|---|
| Sign-in (login page + code exchange), no hook, median of ${SIGN_INS} | ${median(plain).toFixed(1)} ms |
| Same with an \`oidc.jwt.pre_create\` handler on loopback | ${median(hooked).toFixed(1)} ms |
| Difference (noise dominates on a loaded machine) | ${(median(hooked) - median(plain)).toFixed(1)} ms |
| The blocking hook round trip alone (sign, POST, parse, apply), median of 100 | ${median(trips).toFixed(2)} ms |
| Outbox delivery rate, SQLite (${EVENTS} events, 50 users, concurrency 16) | ${sqliteRate.toFixed(0)} events/s |
| Outbox delivery rate, PostgreSQL (same) | ${pgRate.toFixed(0)} events/s |
`;
writeFileSync(new URL("./results/hooks.md", import.meta.url), report);
console.log(report);
process.exit(0);
