// Who is on the other end of a request: computed once at the edge and kept on the raw request, so
// the protocol endpoints and the Fastify pages behind the edge see the same IP.
import type { IncomingMessage } from "node:http";
import type { ClientInfo } from "../session/idp-sessions.ts";

const CLIENT = Symbol("gatehouse.client");
type Tagged = IncomingMessage & { [CLIENT]?: ClientInfo };

/**
 * With `http.trust_proxy`, the first X-Forwarded-For address (the client as the outermost proxy saw
 * it); otherwise the socket's peer. The user agent is capped: it is stored with sessions.
 */
export function clientInfoOf(req: IncomingMessage, trustProxy: boolean): ClientInfo {
  const tagged = req as Tagged;
  const known = tagged[CLIENT];
  if (known) return known;
  let ip = "";
  if (trustProxy) {
    const forwarded = req.headers["x-forwarded-for"];
    if (typeof forwarded === "string") ip = forwarded.split(",", 1)[0].trim().slice(0, 64);
  }
  const ua = req.headers["user-agent"];
  const info = { ip: ip || req.socket.remoteAddress || "", userAgent: typeof ua === "string" ? ua.slice(0, 512) : "" };
  tagged[CLIENT] = info;
  return info;
}
