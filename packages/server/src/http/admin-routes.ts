// Mounts the admin API table at /_api/admin: key check, schema validation in and out, problem bodies.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";
import type { Context } from "../context.ts";
import { AdminError } from "../admin/errors.ts";
import { checkAdminKey } from "../admin/keys.ts";
import { openApiDocument } from "../admin/openapi.ts";
import { adminRoutes, type AdminRoute } from "../admin/routes-table.ts";
import { parseRequest } from "../admin/parse-request.ts";

export const ADMIN_PREFIX = "/_api/admin";

export function sendProblem(reply: FastifyReply, err: AdminError): FastifyReply {
  if (err.status === 401) reply.header("www-authenticate", 'Bearer realm="gatehouse-admin"');
  return reply.code(err.status).header("cache-control", "no-store").type("application/problem+json").send(JSON.stringify(err.toProblem()));
}

function parse<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
  return schema ? parseRequest(schema, value, where) : (undefined as T);
}

export async function authenticateAdmin(ctx: Context, request: FastifyRequest): Promise<{ id: string }> {
  const m = /^Bearer (\S+)$/i.exec(request.headers.authorization ?? "");
  const keyId = m ? await checkAdminKey(ctx, m[1]) : null;
  if (!keyId) throw new AdminError("GH_ADMIN_UNAUTHENTICATED", "send an admin API key as `Authorization: Bearer <key>`");
  return { id: `key:${keyId}` };
}

export function registerAdminRoutes(app: FastifyInstance, ctx: Context): void {
  const openapi = JSON.stringify(openApiDocument(ctx.issuer));
  app.get(`${ADMIN_PREFIX}/openapi.json`, async (_req, reply) => reply.type("application/json").send(openapi));

  const handlerFor = (route: AdminRoute) => async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    try {
      const actor = await authenticateAdmin(ctx, request);
      if (route.body && !String(request.headers["content-type"] ?? "").startsWith("application/json") && request.body !== undefined) {
        throw new AdminError("GH_ADMIN_INVALID_REQUEST", "body must be application/json");
      }
      const result = await route.handle(ctx, {
        actor,
        params: request.params as Record<string, string>,
        query: parse(route.query, request.query, "query"),
        body: parse(route.body, request.body, "body"),
      });
      // Responses are checked against the same schema the OpenAPI document publishes.
      const body = route.response.parse(result);
      return reply.code(route.status ?? 200).header("cache-control", "no-store").type("application/json").send(JSON.stringify(body));
    } catch (err) {
      if (err instanceof AdminError) return sendProblem(reply, err);
      throw err;
    }
  };
  for (const route of adminRoutes) app.route({ method: route.method, url: `${ADMIN_PREFIX}${route.path}`, handler: handlerFor(route), ...(route.bodyLimit ? { bodyLimit: route.bodyLimit } : {}) });
}
