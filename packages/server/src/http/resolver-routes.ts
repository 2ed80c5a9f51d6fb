// GET|HEAD /_resolver/resolve: for backends and reverse proxies (nginx auth_request). Always 200,
// no body; the answer is in the x-authgear-* headers.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Context } from "../context.ts";
import { resolveRequest } from "../resolver/resolve.ts";
import { clientInfo } from "./client-info.ts";
import { sessionCookieSettings } from "./cookies.ts";

export function registerResolverRoutes(app: FastifyInstance, ctx: Context): void {
  const cookie = sessionCookieSettings(ctx.config);
  const handler = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const result = await resolveRequest(ctx, {
      authorization: request.headers.authorization,
      sessionCookie: request.cookies[cookie.name],
      client: clientInfo(request),
    });
    if (result.clearCookie) {
      reply.clearCookie(cookie.name, { path: "/", domain: cookie.domain, secure: cookie.secure, httpOnly: true, sameSite: "lax" });
    }
    return reply.code(200).headers(result.headers).header("cache-control", "no-store").send();
  };
  // Fastify answers HEAD for GET routes (exposeHeadRoutes), with the same headers.
  app.get("/_resolver/resolve", handler);
}
