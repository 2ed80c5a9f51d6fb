import type { FastifyRequest } from "fastify";
import type { ClientInfo } from "../session/idp-sessions.ts";
import { clientInfoOf } from "../edge/client-info.ts";

/** The client of a page request, as the edge computed it (with `http.trust_proxy`) before Fastify saw it. */
export function clientInfo(request: FastifyRequest): ClientInfo {
  return clientInfoOf(request.raw, false);
}
