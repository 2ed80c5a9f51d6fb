// A small server-rendered app on another domain that signs users in with Gatehouse, using
// @gatehouse/node's cross-domain sessions on plain node:http. server.ts runs it; the SDK's tests
// drive it end to end.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { CrossDomainError, type CrossDomainSession, type CrossDomainSessions } from "@gatehouse/node";

const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(res: ServerResponse, status: number, title: string, body: string): void {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" })
    .end(`<!doctype html><meta charset="utf-8"><title>${escape(title)}</title><h1>${escape(title)}</h1>${body}`);
}

const logoutForm = '<form method="post" action="/logout"><button>Sign out</button></form>';

function describeSession(s: CrossDomainSession): string {
  return `<p>Signed in as <code>${escape(s.userId)}</code>${s.claims?.roles.length ? ` (roles: ${escape(s.claims.roles.join(", "))})` : ""}.</p>`
    + `<p>Access token valid until ${escape(s.expiresAt.toISOString())}; it is refreshed automatically.</p>`;
}

export function createExampleApp(auth: CrossDomainSessions): Server {
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://app.invalid");
    const route = `${req.method} ${url.pathname}`;

    if (route === "GET /login") return auth.startLogin(req, res, { returnTo: url.searchParams.get("return_to") ?? "/" });
    if (route === "GET /callback") {
      try {
        await auth.handleCallback(req, res);
      } catch (err) {
        if (!(err instanceof CrossDomainError)) throw err;
        page(res, 400, "Sign-in failed", `<p>${escape(err.code)}: ${escape(err.message)}</p><p><a href="/login">Try again</a></p>`);
      }
      return;
    }
    // POST only: a cross-site page cannot log users out (SameSite=Lax keeps the cookie off cross-site POSTs).
    if (route === "POST /logout") return auth.logout(req, res);

    const session = await auth.getSession(req, res);
    if (route === "GET /") {
      return page(res, 200, "Other App", session ? describeSession(session) + '<p><a href="/private">Private page</a></p>' + logoutForm : '<p><a href="/login">Sign in with Gatehouse</a></p>');
    }
    if (route === "GET /private") {
      if (!session) return auth.startLogin(req, res, { returnTo: "/private" });
      return page(res, 200, "Private page", describeSession(session) + logoutForm);
    }
    if (route === "GET /api/me") {
      res.setHeader("content-type", "application/json");
      res.setHeader("cache-control", "no-store");
      if (!session) return void res.writeHead(401).end(JSON.stringify({ error: "not_signed_in" }));
      return void res.writeHead(200).end(JSON.stringify({
        userId: session.userId,
        roles: session.claims?.roles ?? [],
        tokenId: session.claims?.tokenId ?? null,
        expiresAt: session.expiresAt.toISOString(),
      }));
    }
    page(res, 404, "Not found", '<p><a href="/">Home</a></p>');
  }

  return createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      console.error(err);
      if (!res.headersSent) res.writeHead(503, { "content-type": "text/plain" });
      res.end("Sign-in service unavailable, try again shortly.");
    });
  });
}
