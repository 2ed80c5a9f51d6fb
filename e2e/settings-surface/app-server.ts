// A tiny SPA for the settings-surface tests: its own origin (localhost, while Gatehouse runs on
// 127.0.0.1), Authgear's @authgear/web IIFE bundle unmodified from node_modules, refresh-token
// session type, and `window.settingsApp` helpers for sign-in, open(Page.Settings) and the settings actions.
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const SDK_BUNDLE = readFileSync(require.resolve("@authgear/web/dist/authgear-web.iife.js"), "utf8");

export const CLIENT_ID = "settings-surface-e2e";

/** What the page exposes as `window.settingsApp`. */
export interface SettingsAppHelpers {
  configure(): Promise<string>;
  start(): Promise<void>;
  finish(): Promise<{ sub: string; sessionState: string }>;
  /** authgear.open(Page.Settings) in this tab. */
  openSettings(): Promise<void>;
  startChangePassword(): Promise<void>;
  startDeleteAccount(): Promise<void>;
  /** finishChangePassword() / finishDeleteAccount(), a rejection turned into data. */
  finishAction(which: "password" | "delete"): Promise<{ ok: true; sessionState: string } | { ok: false; error?: string; message: string }>;
  refreshToken(): string | null;
  userInfoOrError(): Promise<{ sub: string } | { error?: string; message: string }>;
}

const APP_JS = `(() => {
  const authgear = window.authgear.default;
  const cfg = JSON.parse(document.getElementById("config").textContent);
  window.settingsApp = {
    async configure() {
      await authgear.configure({ endpoint: cfg.endpoint, clientID: cfg.clientID, sessionType: "refresh_token" });
      return authgear.sessionState;
    },
    start: () => authgear.startAuthentication({ redirectURI: cfg.redirectURI }),
    async finish() {
      const r = await authgear.finishAuthentication();
      history.replaceState(null, "", "/");
      return { sub: r.userInfo.sub, sessionState: authgear.sessionState };
    },
    openSettings: () => authgear.open("/settings", { openInSameTab: true }),
    // After a page load the SDK holds only the refresh token; the ID token a settings action needs
    // (id_token_hint, can_reauthenticate) comes with the first refresh, as in any app that calls its API first.
    async startChangePassword() {
      await authgear.refreshAccessTokenIfNeeded();
      await authgear.startChangePassword({ redirectURI: cfg.actionRedirectURI });
    },
    async startDeleteAccount() {
      await authgear.refreshAccessTokenIfNeeded();
      await authgear.startDeleteAccount({ redirectURI: cfg.actionRedirectURI });
    },
    async finishAction(which) {
      try {
        if (which === "password") await authgear.finishChangePassword(); else await authgear.finishDeleteAccount();
        history.replaceState(null, "", "/");
        return { ok: true, sessionState: authgear.sessionState };
      } catch (e) {
        return { ok: false, error: e.error, message: String(e.message) };
      }
    },
    refreshToken: () => localStorage.getItem("authgear_default_refreshToken"),
    async userInfoOrError() {
      try { return { sub: (await authgear.fetchUserInfo()).sub }; } catch (e) { return { error: e.error, message: String(e.message) }; }
    },
  };
})();`;

export interface SettingsApp {
  origin: string;
  redirectURI: string;
  actionRedirectURI: string;
  client: Record<string, unknown>;
  useGatehouse(url: string): void;
  close(): Promise<void>;
}

export async function startSettingsApp(): Promise<SettingsApp> {
  let gatehouse = "";
  const server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  const redirectURI = `${origin}/callback`;
  const actionRedirectURI = `${origin}/after-settings-action`;

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? "/").split("?", 1)[0];
    if (req.method === "GET" && ["/", "/callback", "/after-settings-action"].includes(path)) {
      const config = JSON.stringify({ endpoint: gatehouse, clientID: CLIENT_ID, redirectURI, actionRedirectURI }).replace(/</g, "\\u003c");
      res.setHeader("content-security-policy", `default-src 'none'; script-src 'self'; connect-src 'self' ${gatehouse}`);
      return send(res, 200, "text/html; charset=utf-8", `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Settings test app</title></head>
<body><h1>Settings test app</h1><script type="application/json" id="config">${config}</script>
<script src="/sdk.js"></script><script src="/app.js"></script></body></html>`);
    }
    if (req.method === "GET" && path === "/sdk.js") return send(res, 200, "text/javascript", SDK_BUNDLE);
    if (req.method === "GET" && path === "/app.js") return send(res, 200, "text/javascript", APP_JS);
    send(res, 404, "text/plain", "not found");
  }

  return {
    origin, redirectURI, actionRedirectURI,
    client: { client_id: CLIENT_ID, name: "Settings test app", x_application_type: "spa", redirect_uris: [redirectURI, actionRedirectURI] },
    useGatehouse(url) { gatehouse = url; },
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
