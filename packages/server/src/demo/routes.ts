// /demo/: a page that signs in with Authgear's own web SDK (@authgear/web) against this server.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { FastifyInstance } from "fastify";

const require = createRequire(import.meta.url);

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Gatehouse demo app</title><link rel="stylesheet" href="/_gatehouse/ui.css"><link rel="stylesheet" href="/demo/demo.css"></head>
<body><main class="card"><h1>Demo app</h1>
<p id="status">Loading…</p>
<pre id="claims"></pre>
<button id="login" hidden>Sign in with Gatehouse</button>
<button id="logout" hidden>Sign out</button>
<nav aria-label="Gatehouse"><ul>
<li><a href="/settings">Account settings</a> <span>(Gatehouse's own page: the SDK signs in without SSO, so it asks you to sign in there)</span></li>
<li><a href="/_dev/outbox">Outbox</a> <span>(the emails the demo would have sent)</span></li>
</ul></nav>
</main>
<script src="/demo/authgear-web.js"></script>
<script src="/demo/app.js"></script></body></html>`;

const APP_JS = `(async () => {
  const authgear = window.authgear.default;
  const redirectURI = location.origin + "/demo/";
  await authgear.configure({ endpoint: location.origin, clientID: "demo-spa", sessionType: "refresh_token" });
  const q = new URLSearchParams(location.search);
  if (q.has("code") || q.has("error")) {
    try { await authgear.finishAuthentication(); } catch (e) { document.getElementById("status").textContent = "Sign-in failed: " + e.message; }
    history.replaceState(null, "", redirectURI);
  }
  const status = document.getElementById("status");
  if (authgear.sessionState === "AUTHENTICATED") {
    const info = await authgear.fetchUserInfo();
    status.textContent = "Signed in as " + (info.email || info.sub);
    document.getElementById("claims").textContent = JSON.stringify(info.raw, null, 2);
    document.getElementById("logout").hidden = false;
  } else {
    status.textContent = "Signed out.";
    document.getElementById("login").hidden = false;
  }
  document.getElementById("login").onclick = () => authgear.startAuthentication({ redirectURI });
  document.getElementById("logout").onclick = async () => { await authgear.logout({ redirectURI }); location.reload(); };
})();`;

// The claims are long unbroken JSON strings: wrapped anywhere, so the page fits a 375 px phone.
const DEMO_CSS = `pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f4f5f7;padding:.75rem;border-radius:8px;font-size:.85rem}
pre:empty{display:none}
nav ul{list-style:none;padding:0;margin:1.25rem 0 0}
nav li{margin:.4rem 0}
nav span{color:#5b6272;font-size:.9rem}
a{color:#2456d3}`;

export function registerDemoRoutes(app: FastifyInstance): void {
  const sdk = readFileSync(require.resolve("@authgear/web/dist/authgear-web.iife.js"), "utf8");
  const csp = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'";
  app.get("/demo/", async (_req, reply) => reply.type("text/html; charset=utf-8").header("content-security-policy", csp).send(PAGE));
  app.get("/demo", async (_req, reply) => reply.redirect("/demo/", 302));
  app.get("/demo/authgear-web.js", async (_req, reply) => reply.type("text/javascript").header("cache-control", "public, max-age=3600").send(sdk));
  app.get("/demo/demo.css", async (_req, reply) => reply.type("text/css").send(DEMO_CSS));
  app.get("/demo/app.js", async (_req, reply) => reply.type("text/javascript").send(APP_JS));
}
