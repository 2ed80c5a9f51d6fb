// A tiny single-page app for the @authgear/web SDK tests: its own origin (by default localhost,
// while Gatehouse runs on 127.0.0.1, so every SDK call to Gatehouse is a real cross-origin CORS
// request), a page that loads the SDK's IIFE bundle unmodified from node_modules, and a "backend"
// endpoint, /api/me, that verifies the SDK's bearer access token locally against Gatehouse's JWKS.
// The SDK's session type is an option: "refresh_token" (a third-party app holding tokens) or
// "cookie" (a first-party app on a sibling subdomain of Gatehouse, sharing its `session` cookie).
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from "jose";

const require = createRequire(import.meta.url);
const SDK_BUNDLE = readFileSync(require.resolve("@authgear/web/dist/authgear-web.iife.js"), "utf8");

export const CLIENT_ID = "sdk-web-e2e";

export type SessionType = "refresh_token" | "cookie";

/** What the page exposes as `window.app`; the test drives the SDK only through these. */
export interface AppHelpers {
  /** configure() with the app's session type; returns the SDK's sessionState afterwards. */
  configure(): Promise<string>;
  sessionState(): string;
  start(state: string): Promise<void>;
  finish(): Promise<{ state?: string; sessionState: string; sub: string; email?: string }>;
  me(): Promise<{ status: number; body: { sub?: string; error?: string } }>;
  userInfo(): Promise<{ sub: string; email?: string; emailVerified?: boolean; isVerified: boolean; isAnonymous: boolean }>;
  /** fetchUserInfo(), with a rejection turned into data (the SDK's error class name and fields). */
  userInfoOrError(): Promise<{ sub: string } | { errorName: string; error?: string; message: string }>;
  refreshIfNeeded(): Promise<void>;
  /** In cookie mode this navigates to end_session and never settles; do not await it there. */
  logout(): Promise<string>;
  storedRefreshToken(): string | null;
}

// The app's own script. Plain browser JS, served as a separate file (the page has a strict CSP).
const APP_JS = `(() => {
  const authgear = window.authgear.default;
  const cfg = JSON.parse(document.getElementById("config").textContent);
  const REFRESH_TOKEN_KEY = "authgear_default_refreshToken"; // @authgear/web's localStorage key for container "default"
  window.app = {
    async configure() {
      await authgear.configure({ endpoint: cfg.endpoint, clientID: cfg.clientID, sessionType: cfg.sessionType });
      return authgear.sessionState;
    },
    sessionState: () => authgear.sessionState,
    start: (state) => authgear.startAuthentication({ redirectURI: cfg.redirectURI, state }),
    async finish() {
      const result = await authgear.finishAuthentication();
      history.replaceState(null, "", "/");
      return { state: result.state, sessionState: authgear.sessionState, sub: result.userInfo.sub, email: result.userInfo.email };
    },
    async me() {
      const res = await authgear.fetch("/api/me");
      return { status: res.status, body: await res.json() };
    },
    async userInfo() {
      const u = await authgear.fetchUserInfo();
      return { sub: u.sub, email: u.email, emailVerified: u.emailVerified, isVerified: u.isVerified, isAnonymous: u.isAnonymous };
    },
    async userInfoOrError() {
      try {
        return { sub: (await authgear.fetchUserInfo()).sub };
      } catch (e) {
        return { errorName: e.constructor.name, error: e.error, message: String(e.message) };
      }
    },
    refreshIfNeeded: () => authgear.refreshAccessTokenIfNeeded(),
    async logout() {
      await authgear.logout({ redirectURI: cfg.postLogoutRedirectURI });
      return authgear.sessionState;
    },
    storedRefreshToken: () => localStorage.getItem(REFRESH_TOKEN_KEY),
  };
})();`;

export interface AppServer {
  /** http://HOST:PORT (HOST is localhost unless given) */
  origin: string;
  redirectURI: string;
  postLogoutRedirectURI: string;
  /** The OAuth client Gatehouse should register for this app. */
  client: Record<string, unknown>;
  /** Points the app (SDK endpoint and the backend's token verification) at a Gatehouse instance. */
  useGatehouse(url: string): void;
  /** Every access-token payload /api/me accepted, in order. */
  verified: (JWTPayload & { token: string })[];
  close(): Promise<void>;
}

export interface AppServerOptions {
  /** The SDK's sessionType; "refresh_token" by default. */
  sessionType?: SessionType;
  /** The host name in the app's origin (resolved to 127.0.0.1 by the browser); "localhost" by default. */
  host?: string;
}

export async function startAppServer(options: AppServerOptions = {}): Promise<AppServer> {
  const sessionType = options.sessionType ?? "refresh_token";
  let gatehouse = "";
  let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;
  const verified: AppServer["verified"] = [];

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => send(res, 500, "application/json", JSON.stringify({ error: String(e) })));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://${options.host ?? "localhost"}:${(server.address() as AddressInfo).port}`;
  const redirectURI = `${origin}/callback`;
  const postLogoutRedirectURI = `${origin}/signed-out`;

  function page(): string {
    const config = JSON.stringify({ endpoint: gatehouse, clientID: CLIENT_ID, sessionType, redirectURI, postLogoutRedirectURI }).replace(/</g, "\\u003c");
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>SDK test app</title></head>
<body><h1>SDK test app</h1>
<script type="application/json" id="config">${config}</script>
<script src="/sdk/authgear-web.iife.js"></script>
<script src="/app.js"></script></body></html>`;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?", 1)[0];
    if (req.method === "GET" && (path === "/" || path === "/callback" || path === "/signed-out")) {
      // A realistic SPA policy: scripts only from the app itself, XHR/fetch to itself and Gatehouse.
      res.setHeader("content-security-policy", `default-src 'none'; script-src 'self'; connect-src 'self' ${gatehouse}`);
      return send(res, 200, "text/html; charset=utf-8", page());
    }
    if (req.method === "GET" && path === "/sdk/authgear-web.iife.js") return send(res, 200, "text/javascript", SDK_BUNDLE);
    if (req.method === "GET" && path === "/app.js") return send(res, 200, "text/javascript", APP_JS);
    if (req.method === "GET" && path === "/api/me") {
      const m = /^Bearer ([^\s]+)$/.exec(req.headers.authorization ?? "");
      if (!m || !jwks) {
        res.setHeader("www-authenticate", "Bearer");
        return send(res, 401, "application/json", JSON.stringify({ error: "missing bearer token" }));
      }
      try {
        const { payload } = await jwtVerify(m[1], jwks, { issuer: gatehouse, audience: gatehouse, typ: "at+jwt" });
        verified.push({ ...payload, token: m[1] });
        return send(res, 200, "application/json", JSON.stringify({ sub: payload.sub, client_id: payload.client_id }));
      } catch (e) {
        res.setHeader("www-authenticate", 'Bearer error="invalid_token"');
        return send(res, 401, "application/json", JSON.stringify({ error: (e as Error).message }));
      }
    }
    send(res, 404, "text/plain", "not found");
  }

  return {
    origin,
    redirectURI,
    postLogoutRedirectURI,
    client: {
      client_id: CLIENT_ID,
      name: "SDK test app",
      x_application_type: "spa",
      redirect_uris: [redirectURI],
      post_logout_redirect_uris: [postLogoutRedirectURI],
    },
    useGatehouse(url) {
      gatehouse = url;
      jwks = createRemoteJWKSet(new URL(`${url}/oauth2/jwks`));
    },
    verified,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
  res.end(body);
}
