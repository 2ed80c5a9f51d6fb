// POST /_api/admin/graphql: Authgear's admin API (admin/graphql/). Authentication as Authgear does
// it, answering 403 Forbidden to any failure (pkg/lib/admin/authz/middleware.go); the body is read
// here as text so a malformed one gets a GraphQL-shaped 400, not Fastify's.
import type { FastifyInstance, FastifyReply } from "fastify";
import type { ExecutionResult } from "graphql";
import type { Context } from "../context.ts";
import { authenticateGraphql } from "../admin/graphql/auth.ts";
import { runGraphql } from "../admin/graphql/execute.ts";
import { BODY_LIMIT_BYTES } from "../edge/body.ts";

export const ADMIN_GRAPHQL_PATH = "/_api/admin/graphql";

function send(reply: FastifyReply, status: number, body: ExecutionResult | { errors: { message: string; extensions: Record<string, unknown> }[] }): FastifyReply {
  return reply.code(status).header("cache-control", "no-store").type("application/json").send(JSON.stringify(body));
}

const bad = (message: string) => ({ errors: [{ message, extensions: { errorName: "BadRequest", reason: "InvalidRequest" } }] });
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function registerAdminGraphql(app: FastifyInstance, ctx: Context): void {
  app.register(async (scope) => {
    scope.removeContentTypeParser("application/json");
    scope.addContentTypeParser("application/json", { parseAs: "string", bodyLimit: BODY_LIMIT_BYTES }, (_req, body, done) => done(null, body));
    scope.post(ADMIN_GRAPHQL_PATH, async (request, reply) => {
      const actor = await authenticateGraphql(ctx, request.headers.authorization);
      if (!actor) return reply.code(403).header("cache-control", "no-store").type("text/plain; charset=utf-8").send("Forbidden\n");
      let body: unknown;
      try {
        body = JSON.parse(String(request.body ?? ""));
      } catch {
        return send(reply, 400, bad("the body must be JSON: {\"query\": \"…\", \"variables\": {…}, \"operationName\": \"…\"}"));
      }
      if (!isObject(body) || typeof body.query !== "string") return send(reply, 400, bad("the body must be a JSON object with a `query` string"));
      if (body.variables != null && !isObject(body.variables)) return send(reply, 400, bad("`variables` must be a JSON object"));
      if (body.operationName != null && typeof body.operationName !== "string") return send(reply, 400, bad("`operationName` must be a string"));
      const result = await runGraphql(ctx, actor, { query: body.query, variables: body.variables as Record<string, unknown> | null, operationName: body.operationName as string | null },
        (err) => request.log.error({ err }, "admin GraphQL resolver failed"));
      return send(reply, result.status, result.body);
    });
  });
}
