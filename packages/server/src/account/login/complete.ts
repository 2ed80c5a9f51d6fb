// The end of every login: the IdP session is created with the factors used (amr), the `session`
// cookie is set (or, for SSO-off flows, the short hand-off cookie), and the browser goes back to
// /oauth2/authorize/resume — or to the account page when there is no app waiting.
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Context } from "../../context.ts";
import { clientInfo } from "../../http/client-info.ts";
import { sessionCookieSettings, setSessionCookie } from "../../session/cookie.ts";
import { LOGIN_HANDOFF_COOKIE, LOGIN_HANDOFF_PATH } from "../../oauth/authorize/sso.ts";
import { createIdpSession } from "../../session/idp-sessions.ts";
import type { User } from "../../domain/user.ts";
import { seeOther, sendProblemPage, uiFor } from "../ui/respond.ts";
import { loadFlow } from "./flow.ts";
import { recordUserEvent, USER_EVENTS } from "../../audit/events.ts";
import { finishHeldLink } from "../../sso/pending-link.ts";

export async function completeLogin(ctx: Context, request: FastifyRequest, reply: FastifyReply, user: User, amr: string[], flowId: string | null): Promise<FastifyReply> {
  const flow = flowId ? await loadFlow(ctx, flowId) : null;
  if (flowId && !flow) return sendProblemPage(ctx, reply, uiFor(ctx, request), 400, { title: "error.flow_expired.title", message: "error.flow_expired.message" });
  const cookie = sessionCookieSettings(ctx.config);
  // account_linking login_and_link: the social identity waiting for this user joins it now.
  await finishHeldLink(ctx, request, reply, user);
  const { cookieValue } = await createIdpSession(ctx, user, amr, clientInfo(request), { cookieless: flow?.suppressCookie ?? false, clientId: flow?.clientId });
  ctx.metrics.signIn("succeeded");
  await recordUserEvent(ctx, USER_EVENTS.signedIn, user, { ip: clientInfo(request).ip, amr });
  if (flow?.suppressCookie) {
    reply.setCookie(LOGIN_HANDOFF_COOKIE, cookieValue, { path: LOGIN_HANDOFF_PATH, secure: cookie.secure, httpOnly: true, sameSite: "lax", maxAge: 600 });
  } else {
    setSessionCookie(reply, cookie, cookieValue);
  }
  return seeOther(ctx, reply, flow ? `/oauth2/authorize/resume?flow=${encodeURIComponent(flow.id)}` : "/");
}
