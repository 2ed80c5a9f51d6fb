import type { FastifyRequest } from "fastify";
import type { ClientInfo } from "../session/idp-sessions.ts";

export function clientInfo(request: FastifyRequest): ClientInfo {
  const ua = request.headers["user-agent"];
  return { ip: request.ip, userAgent: typeof ua === "string" ? ua.slice(0, 512) : "" };
}
