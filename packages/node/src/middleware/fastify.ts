// Fastify support without importing Fastify: a preHandler hook, and a plugin that installs it for
// every route. Both set `request.gatehouse`.
import type { IncomingHttpHeaders } from "node:http";
import { createAuthenticator, type AuthenticateOptions, type GatehouseAuth } from "./authenticate.ts";

/** The parts of FastifyRequest/FastifyReply the hook uses. */
export interface FastifyLikeRequest {
  headers: IncomingHttpHeaders;
  gatehouse?: GatehouseAuth | null;
}
export interface FastifyLikeReply {
  code(statusCode: number): FastifyLikeReply;
  headers(values: Record<string, string>): FastifyLikeReply;
  send(payload?: unknown): FastifyLikeReply;
}
export interface FastifyLikeInstance {
  decorateRequest(property: "gatehouse", value: null): unknown;
  addHook(name: "preHandler", hook: FastifyHook): unknown;
}

export type FastifyHook = (request: FastifyLikeRequest, reply: FastifyLikeReply) => Promise<unknown>;

/** Use per route (`{ preHandler: fastifyHook({...}) }`) or with `app.addHook("preHandler", …)`. */
export function fastifyHook(options: AuthenticateOptions): FastifyHook {
  const authenticate = createAuthenticator(options);
  return async (request, reply) => {
    const outcome = await authenticate(request.headers);
    if (!outcome.ok) {
      // Async hooks answer early by sending and returning the reply.
      return reply.code(outcome.challenge.status).headers(outcome.challenge.headers).send(outcome.challenge.body);
    }
    request.gatehouse = outcome.auth;
    return undefined;
  };
}

async function gatehousePlugin(app: FastifyLikeInstance, options: AuthenticateOptions): Promise<void> {
  app.decorateRequest("gatehouse", null);
  app.addHook("preHandler", fastifyHook(options));
}

/**
 * `app.register(fastifyPlugin, { mode: "verify", issuer })`: the hook applies to every route of
 * the registering scope. Marked skip-override (what `fastify-plugin` does) so it is not encapsulated.
 */
export const fastifyPlugin: typeof gatehousePlugin = Object.assign(gatehousePlugin, { [Symbol.for("skip-override")]: true });
