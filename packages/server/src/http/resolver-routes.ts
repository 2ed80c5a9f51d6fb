// GET|HEAD /_resolver/resolve: for backends and reverse proxies (nginx auth_request). Always 200,
// no body; the answer is in the x-authgear-* headers. Served by the fast lane (http/fast-lane.ts).
import { fastifyCookie } from "@fastify/cookie";
import type { Context } from "../context.ts";
import { resolveRequest } from "../resolver/resolve.ts";
import type { ClientInfo } from "../session/idp-sessions.ts";
import type { CookieSettings } from "./cookies.ts";
import type { PlainResponse } from "./plain-response.ts";

export async function resolverResponse(ctx: Context, cookie: CookieSettings, input: { authorization: string | undefined; sessionCookie: string | undefined; client: ClientInfo }): Promise<PlainResponse> {
  const result = await resolveRequest(ctx, input);
  const headers: PlainResponse["headers"] = { ...result.headers, "cache-control": "no-store" };
  if (result.clearCookie) {
    // An invalid session cookie is cleared, as Authgear does, so browsers stop sending it.
    headers["set-cookie"] = fastifyCookie.serialize(cookie.name, "", { path: "/", domain: cookie.domain, secure: cookie.secure, httpOnly: true, sameSite: "lax", expires: new Date(0) });
  }
  return { status: 200, headers, body: "" };
}
