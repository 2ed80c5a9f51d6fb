// examples/nginx/ with real nginx (Debian's /usr/sbin/nginx, auth_request module) in front of a
// tiny app that echoes the x-authgear-* headers it receives, and real Gatehouse answering
// /_resolver/resolve. /public/ passes everyone through (identity headers only when signed in);
// /private/ answers 401 unless the session is valid. Clients cannot forge the identity headers.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { setup, loginWithPkce, exchange, SPA_CLIENT, type Fixture } from "../../packages/server/test/oauth/fixture.ts";
import { UserAgent } from "../../packages/server/test/support/user-agent.ts";
import { startNginx, type Nginx } from "./nginx.ts";

const IDENTITY_HEADERS = [
  "x-authgear-session-valid",
  "x-authgear-user-id",
  "x-authgear-user-anonymous",
  "x-authgear-user-verified",
  "x-authgear-user-can-reauthenticate",
  "x-authgear-user-roles",
  "x-authgear-session-amr",
  "x-authgear-session-authenticated-at",
];

interface Echo {
  method: string;
  path: string;
  /** Every request header whose name mentions authgear (any spelling), as the app received it. */
  identity: Record<string, string>;
  bodyLength: number;
}

interface Upstream {
  port: number;
  hits: Echo[];
  close(): Promise<void>;
}

/** The protected app: echoes back, as JSON, the identity headers nginx gave it. */
async function startUpstream(): Promise<Upstream> {
  const hits: Echo[] = [];
  const server: Server = createServer((req, res) => {
    let bodyLength = 0;
    req.on("data", (chunk: Buffer) => { bodyLength += chunk.length; });
    req.on("end", () => {
      const identity: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (name.includes("authgear")) identity[name] = Array.isArray(value) ? value.join(" | ") : String(value);
      }
      const echo: Echo = { method: req.method ?? "", path: req.url ?? "", identity, bodyLength };
      hits.push(echo);
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(echo));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    hits,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

interface Answer {
  status: number;
  echo: Echo | null;
  setCookie: string[];
}

describe("nginx auth_request with examples/nginx", () => {
  let f: Fixture;
  let upstream: Upstream;
  let nginx: Nginx;
  let cached: Nginx | undefined;

  before(async () => {
    f = await setup();
    upstream = await startUpstream();
    const gatehousePort = Number(new URL(f.server.url).port);
    nginx = await startNginx({ gatehousePort, appPort: upstream.port });
    cached = await startNginx({ gatehousePort, appPort: upstream.port, cache: true });
  });

  after(async () => {
    await nginx?.stop();
    await cached?.stop();
    await upstream?.close();
    await f?.server.close();
  });

  async function via(path: string, headers: Record<string, string> = {}, options: { through?: Nginx; method?: string; body?: string } = {}): Promise<Answer> {
    const through = options.through ?? nginx;
    const res = await fetch(`${through.url}${path}`, { method: options.method ?? "GET", headers, body: options.body, redirect: "manual" });
    const text = await res.text();
    const echo = res.status === 200 ? (JSON.parse(text) as Echo) : null;
    return { status: res.status, echo, setCookie: res.headers.getSetCookie() };
  }

  /** What Gatehouse's resolver says for these credentials, asked directly (not through nginx). */
  async function resolverSays(headers: Record<string, string>): Promise<Record<string, string>> {
    const res = await fetch(`${f.server.url}/_resolver/resolve`, { headers });
    assert.equal(res.status, 200);
    const out: Record<string, string> = {};
    for (const name of IDENTITY_HEADERS) {
      const v = res.headers.get(name);
      if (v !== null) out[name] = v;
    }
    return out;
  }

  async function tokens(): Promise<{ accessToken: string; refreshToken: string; sessionCookie: string }> {
    const login = await loginWithPkce(f);
    const t = await exchange(f, login);
    assert.ok(t.refresh_token, "offline_access gives a refresh token");
    const sessionCookie = login.agent.cookies.get("session");
    assert.ok(sessionCookie, "the login page set the session cookie");
    return { accessToken: t.access_token, refreshToken: t.refresh_token, sessionCookie };
  }

  function assertFullIdentity(identity: Record<string, string>): void {
    assert.equal(identity["x-authgear-session-valid"], "true");
    assert.equal(identity["x-authgear-user-id"], f.userId);
    assert.equal(identity["x-authgear-user-anonymous"], "false");
    assert.equal(identity["x-authgear-user-verified"], "true");
    assert.equal(identity["x-authgear-user-can-reauthenticate"], "true");
    assert.equal(identity["x-authgear-session-amr"], "pwd");
    assert.match(identity["x-authgear-session-authenticated-at"] ?? "", /^\d{10}$/);
    assert.ok(Math.abs(Number(identity["x-authgear-session-authenticated-at"]) - Date.now() / 1000) < 120);
    assert.equal(identity["x-authgear-user-roles"], undefined, "the user has no roles");
  }

  it("passes an anonymous request to /public/ with no identity headers and refuses it on /private/", async () => {
    const before = upstream.hits.length;
    const pub = await via("/public/page?x=1");
    assert.equal(pub.status, 200);
    assert.equal(pub.echo!.path, "/public/page?x=1");
    assert.deepEqual(pub.echo!.identity, {});

    const priv = await via("/private/page");
    assert.equal(priv.status, 401);
    assert.equal(upstream.hits.length, before + 1, "/private/ did not reach the app");
  });

  it("sends only session-valid=false for a bad bearer token", async () => {
    const bad = { authorization: "Bearer not.a.token" };
    const pub = await via("/public/", bad);
    assert.equal(pub.status, 200);
    assert.deepEqual(pub.echo!.identity, { "x-authgear-session-valid": "false" });
    assert.equal((await via("/private/", bad)).status, 401);
  });

  it("gives the app the full identity for a valid bearer token, on GET and POST", async () => {
    const { accessToken } = await tokens();
    const bearer = { authorization: `Bearer ${accessToken}` };
    const pub = await via("/public/", bearer);
    assertFullIdentity(pub.echo!.identity);
    assert.deepEqual(pub.echo!.identity, await resolverSays(bearer), "nginx forwards exactly what the resolver answered");

    const priv = await via("/private/area?y=2", bearer);
    assert.equal(priv.status, 200);
    assert.equal(priv.echo!.path, "/private/area?y=2");
    assertFullIdentity(priv.echo!.identity);

    // The app's request body goes to the app only; the resolver subrequest is a bodiless GET.
    const body = JSON.stringify({ hello: "world".repeat(1000) });
    const post = await via("/private/form", { ...bearer, "content-type": "application/json" }, { method: "POST", body });
    assert.equal(post.status, 200);
    assert.equal(post.echo!.method, "POST");
    assert.equal(post.echo!.bodyLength, Buffer.byteLength(body));
    assertFullIdentity(post.echo!.identity);
  });

  it("gives the app the full identity for a valid session cookie", async () => {
    const { sessionCookie } = await tokens();
    const cookie = { cookie: `theme=dark; session=${sessionCookie}` };
    const pub = await via("/public/", cookie);
    assertFullIdentity(pub.echo!.identity);
    assert.deepEqual(pub.echo!.identity, await resolverSays(cookie));
    const priv = await via("/private/", cookie);
    assert.equal(priv.status, 200);
    assertFullIdentity(priv.echo!.identity);
  });

  it("sees a refresh token revoked at /oauth2/revoke on the very next request", async () => {
    const { accessToken, refreshToken } = await tokens();
    const bearer = { authorization: `Bearer ${accessToken}` };
    assert.equal((await via("/public/", bearer)).echo!.identity["x-authgear-session-valid"], "true");

    const revoke = await fetch(`${f.server.url}/oauth2/revoke`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: refreshToken }),
    });
    assert.equal(revoke.status, 200);

    assert.deepEqual((await via("/public/", bearer)).echo!.identity, { "x-authgear-session-valid": "false" });
    assert.equal((await via("/private/", bearer)).status, 401);
  });

  it("sees a session ended at /oauth2/end_session on the very next request, and clears the dead cookie", async () => {
    const agent = new UserAgent();
    await loginWithPkce(f, { agent });
    const sessionCookie = agent.cookies.get("session")!;
    const cookie = { cookie: `session=${sessionCookie}` };
    assert.equal((await via("/public/", cookie)).echo!.identity["x-authgear-session-valid"], "true");

    // No ID token hint and no sign of coming from our own site: the person is asked first (logout CSRF).
    const endSession = `${f.server.url}/oauth2/end_session?post_logout_redirect_uri=${encodeURIComponent(SPA_CLIENT.post_logout_redirect_uris[0])}`;
    const ask = await agent.request(endSession);
    assert.equal(ask.status, 200);
    assert.equal((await via("/public/", cookie)).echo!.identity["x-authgear-session-valid"], "true", "asking ends nothing");
    const confirmed = await agent.submitForm(endSession, await ask.text(), {}, f.server.url);
    assert.equal(confirmed.url, SPA_CLIENT.post_logout_redirect_uris[0]);

    const pub = await via("/public/", cookie);
    assert.deepEqual(pub.echo!.identity, { "x-authgear-session-valid": "false" });
    // The resolver's Set-Cookie (clearing `session`) reaches the browser through nginx.
    assert.ok(pub.setCookie.some((c) => /^session=;/.test(c) && /expires=thu, 01 jan 1970/i.test(c)), `cleared cookie in ${JSON.stringify(pub.setCookie)}`);
    const priv = await via("/private/", cookie);
    assert.equal(priv.status, 401);
    assert.ok(priv.setCookie.some((c) => /^session=;/.test(c)), "the 401 clears the dead cookie too");
  });

  it("never lets a client-sent x-authgear-* header reach the app", async () => {
    const forged: Record<string, string> = {
      "x-authgear-session-valid": "true",
      "x-authgear-user-id": "forged-admin",
      "x-authgear-user-anonymous": "false",
      "x-authgear-user-verified": "true",
      "x-authgear-user-can-reauthenticate": "true",
      "x-authgear-user-roles": "admin",
      "x-authgear-session-amr": "pwd otp",
      "x-authgear-session-authenticated-at": "4102444800",
      // Some frameworks (CGI, PHP, Django…) read x_authgear_user_id as x-authgear-user-id.
      "x_authgear_user_id": "forged-admin",
    };
    const before = upstream.hits.length;

    // Anonymous + forged: no identity at all, and /private/ still refuses.
    const anon = await via("/public/", forged);
    assert.deepEqual(anon.echo!.identity, {});
    assert.equal((await via("/private/", forged)).status, 401);

    // Bad token + forged: only the resolver's verdict.
    const bad = await via("/public/", { ...forged, authorization: "Bearer nope" });
    assert.deepEqual(bad.echo!.identity, { "x-authgear-session-valid": "false" });

    // Signed in + forged: the real identity, not the forged one (and no merged duplicates).
    const { accessToken } = await tokens();
    const signedIn = await via("/private/", { ...forged, authorization: `Bearer ${accessToken}` });
    assert.equal(signedIn.status, 200);
    assertFullIdentity(signedIn.echo!.identity);
    assert.equal(upstream.hits.length, before + 3);
  });

  it("with the optional resolver cache on, a revoked session stays valid until the cache TTL (the documented trade-off)", async () => {
    const { accessToken, refreshToken } = await tokens();
    const bearer = { authorization: `Bearer ${accessToken}` };
    const first = await via("/private/", bearer, { through: cached });
    assert.equal(first.status, 200);
    assertFullIdentity(first.echo!.identity);

    const revoke = await fetch(`${f.server.url}/oauth2/revoke`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: refreshToken }),
    });
    assert.equal(revoke.status, 200);
    assert.deepEqual(await resolverSays(bearer), { "x-authgear-session-valid": "false" }, "Gatehouse knows at once");
    assert.equal((await via("/private/", bearer)).status, 401, "the uncached example sees it at once");

    const stale = await via("/private/", bearer, { through: cached });
    assert.equal(stale.status, 200, "the cached answer is served until proxy_cache_valid expires");
    assert.equal(stale.echo!.identity["x-authgear-user-id"], f.userId);

    // Other credentials are separate cache entries: anonymous and bad tokens are not mixed up.
    assert.deepEqual((await via("/public/", {}, { through: cached })).echo!.identity, {});
    assert.deepEqual((await via("/public/", { authorization: "Bearer nope" }, { through: cached })).echo!.identity, { "x-authgear-session-valid": "false" });
  });
});
