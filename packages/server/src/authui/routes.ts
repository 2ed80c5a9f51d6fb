// The hosted login UI: sign in and sign up with email + password. A successful login creates the
// IdP session, sets the `session` cookie, and hands back to /oauth2/authorize/resume.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Context } from "../context.ts";
import { createIdpSession } from "../session/idp-sessions.ts";
import { callerFromCookie } from "../session/caller.ts";
import { createUser, verifyLogin } from "../users/users.ts";
import type { User } from "../storage/ports.ts";
import { clientInfo } from "../http/client-info.ts";
import { sessionCookieSettings } from "../http/cookies.ts";
import { sendErrorPage } from "../http/respond.ts";
import { setPageSecurityHeaders } from "../http/security-headers.ts";
import { UI_CSS } from "../http/html.ts";
import { parseLoginHint } from "../oauth/authorize/login-hint.ts";
import { LOGIN_HANDOFF_COOKIE, LOGIN_HANDOFF_PATH, suppressesIdpSessionCookie } from "../oauth/authorize/sso.ts";
import { csrfToken, csrfValid } from "./csrf.ts";
import { createMemoryLimiter } from "./login-limiter.ts";
import { loginPage, signedInPage, signupPage, type FormView } from "./templates.ts";

type Form = Record<string, unknown>;
const field = (form: Form, name: string): string => (typeof form[name] === "string" ? (form[name] as string) : "");

export function registerAuthUiRoutes(app: FastifyInstance, ctx: Context): void {
  const cookie = sessionCookieSettings(ctx.config);
  const formTargets = [...new Set(ctx.clients.all().flatMap((c) => c.redirect_uris.map((u) => new URL(u).origin)))];
  const perAccount = createMemoryLimiter({ maxFailures: 10, windowSeconds: 900 });
  const perIp = createMemoryLimiter({ maxFailures: 100, windowSeconds: 900 });

  app.get("/_gatehouse/ui.css", async (_req, reply) => reply.type("text/css").header("cache-control", "public, max-age=3600").send(UI_CSS));

  /** The flow id must name a live pending request; the page then shows the app's name. */
  async function loadFlow(flowId: string): Promise<{ id: string; appName: string; loginHint: string; suppressCookie: boolean } | null> {
    if (!flowId) return null;
    const flow = flowId.length < 100 ? await ctx.storage.authFlows.get(flowId) : null;
    if (!flow || flow.expiresAt <= ctx.now()) return null;
    return { id: flow.id, appName: ctx.clients.get(flow.clientId)?.name ?? "", loginHint: parseLoginHint(flow.params.login_hint) ?? "", suppressCookie: suppressesIdpSessionCookie(flow.params) };
  }

  function render(request: FastifyRequest, reply: FastifyReply, which: "login" | "signup", view: Omit<FormView, "csrf">, status = 200): FastifyReply {
    const full = { ...view, csrf: csrfToken(request, reply, cookie.secure) };
    setPageSecurityHeaders(reply, formTargets);
    return reply.code(status).type("text/html; charset=utf-8").send(which === "login" ? loginPage(full) : signupPage(full));
  }

  async function signIn(request: FastifyRequest, reply: FastifyReply, user: User, flow: { id: string; suppressCookie: boolean } | null): Promise<FastifyReply> {
    const { cookieValue } = await createIdpSession(ctx, user, ["pwd"], clientInfo(request));
    if (flow?.suppressCookie) {
      reply.setCookie(LOGIN_HANDOFF_COOKIE, cookieValue, { path: LOGIN_HANDOFF_PATH, secure: cookie.secure, httpOnly: true, sameSite: "lax", maxAge: 600 });
    } else {
      reply.setCookie(cookie.name, cookieValue, { path: "/", domain: cookie.domain, secure: cookie.secure, httpOnly: true, sameSite: "lax", maxAge: cookie.maxAge });
    }
    setPageSecurityHeaders(reply, formTargets);
    return reply.redirect(flow ? `/oauth2/authorize/resume?flow=${encodeURIComponent(flow.id)}` : "/", 303);
  }

  const expired = (reply: FastifyReply): FastifyReply =>
    sendErrorPage(reply, 400, "This sign-in link has expired", "Go back to the app and start signing in again.");

  for (const which of ["login", "signup"] as const) {
    app.get(`/${which}`, async (request, reply) => {
      const flowId = String((request.query as Form).flow ?? "");
      const flow = await loadFlow(flowId);
      if (flowId && !flow) return expired(reply);
      return render(request, reply, which, { flowId: flow?.id ?? null, email: flow?.loginHint ?? "", error: null, appName: flow?.appName ?? "" });
    });
  }

  app.post("/login", async (request, reply) => {
    const form = (request.body ?? {}) as Form;
    if (!csrfValid(request, form.csrf, ctx.issuer)) return sendErrorPage(reply, 403, "Your form expired", "Reload the page and try again.");
    const flow = await loadFlow(field(form, "flow"));
    if (field(form, "flow") && !flow) return expired(reply);
    const email = field(form, "email").trim().slice(0, 254);
    const view = { flowId: flow?.id ?? null, email, appName: flow?.appName ?? "" };
    const now = ctx.now();
    const keys = [`${email.toLowerCase()}|${request.ip}`];
    if (!perAccount.allowed(keys, now) || !perIp.allowed([request.ip], now)) {
      return render(request, reply, "login", { ...view, error: "Too many failed attempts. Wait a few minutes and try again." }, 429);
    }
    const user = await verifyLogin(ctx, email, field(form, "password"));
    if (!user) {
      perAccount.recordFailure(keys, now);
      perIp.recordFailure([request.ip], now);
      return render(request, reply, "login", { ...view, error: "Incorrect email or password." }, 401);
    }
    perAccount.reset(keys);
    return signIn(request, reply, user, flow);
  });

  app.post("/signup", async (request, reply) => {
    const form = (request.body ?? {}) as Form;
    if (!csrfValid(request, form.csrf, ctx.issuer)) return sendErrorPage(reply, 403, "Your form expired", "Reload the page and try again.");
    const flow = await loadFlow(field(form, "flow"));
    if (field(form, "flow") && !flow) return expired(reply);
    const email = field(form, "email").trim().slice(0, 254);
    const view = { flowId: flow?.id ?? null, email, appName: flow?.appName ?? "" };
    const result = await createUser(ctx, { email, password: field(form, "password") });
    if (!result.ok) {
      const messages = {
        invalid_email: "Enter a valid email address.",
        weak_password: "Password must be between 8 and 256 characters.",
        // Sign-up must say something here; it is the one place an existing email can be told apart.
        email_taken: "An account with this email already exists. Sign in instead.",
      };
      return render(request, reply, "signup", { ...view, error: messages[result.reason] }, 400);
    }
    return signIn(request, reply, result.user, flow);
  });

  app.get("/", async (request, reply) => {
    const value = request.cookies[cookie.name];
    const caller = value ? await callerFromCookie(ctx, value, clientInfo(request)) : null;
    if (!caller) return reply.redirect("/login", 302);
    setPageSecurityHeaders(reply, []);
    return reply.type("text/html; charset=utf-8").send(signedInPage(caller.user.email));
  });
}
