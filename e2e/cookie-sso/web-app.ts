// A tiny server-rendered app for the cookie-SSO test (DESIGN.md, "Two integration styles", 2): it
// keeps no session of its own. Each page forwards the browser's Cookie header to Gatehouse's
// resolver and renders who is signed in; signing in is /oauth2/authorize with response_type=none
// (Gatehouse sets the shared `session` cookie on the parent domain and sends back only state).
import { randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface WebApp {
  /** e.g. http://app1.example.test:41234 */
  origin: string;
  callbackUrl: string;
  homeUrl: string;
  /** Called once Gatehouse runs: its public origin and the local port its resolver listens on. */
  useGatehouse(publicOrigin: string, resolverPort: number): void;
  close(): Promise<void>;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const STATE_COOKIE = "app_state";

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export async function startWebApp(options: { host: string; name: string; clientId: string }): Promise<WebApp> {
  let gatehouse: string | null = null;
  let resolverPort = 0;
  let origin = "";

  const page = (res: ServerResponse, body: string, headers: Record<string, string | string[]> = {}): void =>
    void res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", ...headers })
      .end(`<!doctype html><html><head><title>${escape(options.name)}</title></head><body><h1>${escape(options.name)}</h1>${body}</body></html>`);

  async function home(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Server-side: ask Gatehouse who the browser's cookies belong to.
    const resolved = await fetch(`http://127.0.0.1:${resolverPort}/_resolver/resolve`, { headers: req.headers.cookie ? { cookie: req.headers.cookie } : {} });
    const headers: Record<string, string | string[]> = {};
    // A dead session cookie is cleared by the resolver; pass that on (Domain=example.test is ours too).
    const clear = resolved.headers.getSetCookie();
    if (clear.length) headers["set-cookie"] = clear;
    if (resolved.headers.get("x-authgear-session-valid") === "true") {
      const userId = resolved.headers.get("x-authgear-user-id") ?? "";
      const signOut = new URL("/oauth2/end_session", gatehouse!);
      signOut.searchParams.set("client_id", options.clientId);
      signOut.searchParams.set("post_logout_redirect_uri", `${origin}/`);
      page(res, `<p id="status">Signed in as <span id="user">${escape(userId)}</span></p><a id="sign-out" href="${escape(signOut.href)}">Sign out</a>`, headers);
      return;
    }
    const state = randomBytes(16).toString("base64url");
    const signIn = new URL("/oauth2/authorize", gatehouse!);
    signIn.searchParams.set("client_id", options.clientId);
    signIn.searchParams.set("response_type", "none");
    signIn.searchParams.set("redirect_uri", `${origin}/callback`);
    signIn.searchParams.set("scope", "openid");
    signIn.searchParams.set("state", state);
    const stateCookie = `${STATE_COOKIE}=${state}; Path=/callback; HttpOnly; SameSite=Lax; Max-Age=600`;
    headers["set-cookie"] = [...clear, stateCookie];
    page(res, `<p id="status">Not signed in</p><a id="sign-in" href="${escape(signIn.href)}">Sign in</a>`, headers);
  }

  function callback(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const expected = readCookie(req.headers.cookie, STATE_COOKIE) ?? "";
    const state = url.searchParams.get("state") ?? "";
    const error = url.searchParams.get("error");
    const sameState = expected.length > 0 && expected.length === state.length && timingSafeEqual(Buffer.from(expected), Buffer.from(state));
    const iss = url.searchParams.get("iss");
    if (error || !sameState || (iss !== null && iss !== gatehouse)) {
      res.writeHead(400, { "content-type": "text/plain" }).end(`sign-in failed: ${error ?? (sameState ? "wrong iss" : "state mismatch")}`);
      return;
    }
    // response_type=none: nothing to exchange; the shared cookie is the session.
    res.writeHead(302, { location: "/", "set-cookie": `${STATE_COOKIE}=; Path=/callback; Max-Age=0` }).end();
  }

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", origin);
    const done = (e: unknown) => { if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" }).end(String(e)); };
    if (gatehouse === null) return void res.writeHead(503).end("not configured");
    if (url.pathname === "/") return void home(req, res).catch(done);
    if (url.pathname === "/callback") return callback(req, res, url);
    res.writeHead(404, { "content-type": "text/plain" }).end("not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://${options.host}:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    callbackUrl: `${origin}/callback`,
    homeUrl: `${origin}/`,
    useGatehouse(publicOrigin, port) { gatehouse = publicOrigin; resolverPort = port; },
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
