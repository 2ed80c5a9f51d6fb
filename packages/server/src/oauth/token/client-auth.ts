// Client authentication at the token endpoint (RFC 6749 §2.3.1): none (public clients send
// client_id), client_secret_post, or client_secret_basic — exactly one method per request.
import type { Client } from "../clients.ts";
import { clientSecretMatches } from "../clients.ts";
import type { Context } from "../../context.ts";
import { OAuthError } from "../errors.ts";
import type { TokenRequest } from "./types.ts";

function parseBasic(header: string): { id: string; secret: string } | null {
  const m = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header.trim());
  if (!m) return null;
  const decoded = Buffer.from(m[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  try {
    // RFC 6749 §2.3.1: both parts are form-urlencoded before base64.
    return { id: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, " ")), secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, " ")) };
  } catch {
    return null;
  }
}

const invalidClient = (description: string, basic = false): OAuthError =>
  new OAuthError("invalid_client", description, { status: 401, cause: basic ? "basic" : undefined });

export function authenticateClient(ctx: Context, request: TokenRequest): Client {
  const p = request.params;
  const header = request.authorization;
  const basic = header && /^Basic /i.test(header) ? parseBasic(header) : null;
  if (header && /^Basic /i.test(header) && !basic) throw invalidClient("malformed Basic credentials", true);
  if (basic && p.client_secret !== undefined) throw new OAuthError("invalid_request", "use one client authentication method");
  if (basic && p.client_id !== undefined && p.client_id !== basic.id) throw new OAuthError("invalid_request", "client_id does not match the credentials");

  const clientId = basic?.id ?? p.client_id;
  if (!clientId) throw new OAuthError("invalid_request", "client_id is required");
  const client = ctx.clients.get(clientId);
  if (!client) throw invalidClient("unknown client", Boolean(basic));

  const secret = basic?.secret ?? p.client_secret;
  if (client.isPublic) {
    if (secret !== undefined) throw invalidClient("this client has no secret", Boolean(basic));
    return client;
  }
  if (secret === undefined) throw invalidClient("client authentication is required");
  if (!clientSecretMatches(client, secret)) throw invalidClient("client authentication failed", Boolean(basic));
  return client;
}
