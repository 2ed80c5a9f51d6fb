// Authgear's user-import endpoints (pkg/admin/transport/handler_user_import_*.go): POST /users/import takes
// its import JSON and answers `{result: {id, created_at, status: "pending"}}` at once; the records are
// imported in the background and GET /users/import/:id answers `{result: {id, created_at, completed_at,
// status, summary, details}}`. Jobs live in Redis (`redis.url`, seen by every node) or else in this
// process (one node; lost on restart), for a day as Authgear keeps them.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Context } from "../context.ts";
import { checkRequest, importRecords, type ImportResult } from "../import/authgear/import-json.ts";
import { AdminError } from "./errors.ts";
import { audit, type Actor } from "./operations.ts";
import type { AdminRoute } from "./route.ts";

/** Authgear's userimport.BodyMaxSize. */
export const USER_IMPORT_BODY_LIMIT = 500 * 1000;
const JOB_SECONDS = 24 * 3600;

interface Job {
  id: string;
  created_at: string;
  completed_at?: string;
  status: "pending" | "completed";
  summary?: ImportResult["summary"];
  details?: ImportResult["details"];
  error?: { name: string; reason: string; message: string; code: number };
}

const memory = new WeakMap<Context, Map<string, { job: Job; expires: number }>>();
/** Under redis.key_prefix, so deployments sharing a Redis never see each other's jobs. */
const redisKey = (ctx: Context, id: string) => `${ctx.config.redis.key_prefix}user-import:${id}`;

async function saveJob(ctx: Context, job: Job): Promise<void> {
  if (ctx.redis) {
    await ctx.redis.set(redisKey(ctx, job.id), JSON.stringify(job), "EX", JOB_SECONDS);
    return;
  }
  let jobs = memory.get(ctx);
  if (!jobs) memory.set(ctx, (jobs = new Map()));
  const now = ctx.now();
  for (const [id, j] of jobs) if (j.expires < now) jobs.delete(id);
  jobs.set(job.id, { job, expires: now + JOB_SECONDS });
}

async function loadJob(ctx: Context, id: string): Promise<Job | null> {
  if (!/^userimport_[0-9a-f]{32}$/.test(id)) return null;
  if (ctx.redis) {
    const text = await ctx.redis.get(redisKey(ctx, id));
    return text ? (JSON.parse(text) as Job) : null;
  }
  const found = memory.get(ctx)?.get(id);
  return found && found.expires >= ctx.now() ? found.job : null;
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/** Starts the import and hands back the pending job; `done` settles when the records are all written (tests wait on it). */
export async function startUserImport(ctx: Context, actor: Actor, body: unknown): Promise<{ job: Job; done: Promise<void> }> {
  const request = checkRequest(body);
  if (!request.ok) throw new AdminError("GH_ADMIN_INVALID_REQUEST", request.problem, [{ field: request.field || "body", code: "invalid", message: request.problem }]);
  const job: Job = { id: `userimport_${randomBytes(16).toString("hex")}`, created_at: iso(ctx.now()), status: "pending" };
  await saveJob(ctx, job);
  await audit(ctx, actor, "user.import", "user_import", job.id, { identifier: request.identifier, upsert: request.upsert, records: request.records.length });
  const done = (async () => {
    const result = await importRecords(ctx, request);
    await saveJob(ctx, { ...job, status: "completed", completed_at: iso(ctx.now()), ...result });
  })().catch(async () => {
    // Storage gone mid-job: the records written so far are whole (one transaction each); the job says it
    // ended in error, as Authgear's task `error` does (if even that cannot be saved, it stays pending).
    const error = { name: "InternalError", reason: "UnexpectedError", message: "the import stopped; run it again (records already imported are skipped, or updated with upsert)", code: 500 };
    await saveJob(ctx, { ...job, status: "completed", completed_at: iso(ctx.now()), error }).catch(() => {});
  });
  running.add(done);
  void done.finally(() => running.delete(done));
  return { job, done };
}

/** Imports still running (so a test, or a shutdown, can wait for them). */
export const running = new Set<Promise<void>>();

const anyJson = z.any();
/** Authgear's userimport.RequestSchema (additionalProperties false); each record is checked as it is imported. */
const importBody = z.object({
  identifier: z.enum(["preferred_username", "email", "phone_number"]),
  upsert: z.boolean().optional(),
  records: z.array(z.record(z.string(), z.unknown())).min(1),
}).strict();
export const userImportRoutes: AdminRoute[] = [
  {
    method: "POST", path: "/users/import",
    summary: "Import users in Authgear's import JSON ({identifier, upsert, records}); answers at once with the job (Authgear's shape, `{result}`)",
    body: importBody, response: anyJson, bodyLimit: USER_IMPORT_BODY_LIMIT,
    handle: async (ctx, { actor, body }) => ({ result: (await startUserImport(ctx, actor, body)).job }),
  },
  {
    method: "GET", path: "/users/import/:id",
    summary: "A user-import job: status, and once completed its summary and per-record details (Authgear's shape, `{result}`)",
    response: anyJson,
    async handle(ctx, { params }) {
      const job = await loadJob(ctx, params.id);
      if (!job) throw new AdminError("GH_ADMIN_NOT_FOUND", "no such user-import job (jobs are kept for a day)");
      return { result: job };
    },
  },
];
