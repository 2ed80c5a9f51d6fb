// examples/nginx/ with a DPoP-bound access token (docs/dpop.md): nginx forwards the app request's
// method, URI, scheme, host and DPoP proof to the resolver, and Gatehouse (http.trust_proxy: true)
// checks the proof against that request. Without a proof, with a replayed one (also through the
// optional resolver cache) or for another method, /private/ answers 401.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startTestServer, freePort, type TestServer } from "../../packages/server/test/support/server.ts";
import { UserAgent } from "../../packages/server/test/support/user-agent.ts";
import { EMAIL, PASSWORD } from "../../packages/server/test/oauth/fixture.ts";
import { NativeSdk } from "../dpop/sdk-client.ts";
import { startNginx, type Nginx } from "./nginx.ts";

const NATIVE = { client_id: "test-native", name: "Native app", x_application_type: "native", redirect_uris: ["com.example.app://host/after-authentication"] };

describe("nginx auth_request with a DPoP-bound access token", () => {
  let server: TestServer;
  let app: Server;
  let nginx: Nginx;
  let cached: Nginx;
  const sdk = new NativeSdk("react-native");
  let accessToken = "";

  before(async () => {
    const port = await freePort();
    server = await startTestServer({ port, clients: [NATIVE], config: { http: { public_origin: `http://127.0.0.1:${port}`, listen: `127.0.0.1:${port}`, trust_proxy: true } } });
    await server.createUser(EMAIL, PASSWORD);
    app = createServer((req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ user: req.headers["x-authgear-user-id"] ?? null })));
    await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
    const appPort = (app.address() as AddressInfo).port;
    nginx = await startNginx({ gatehousePort: port, appPort });
    cached = await startNginx({ gatehousePort: port, appPort, cache: true });

    // Sign in as the React Native SDK does: dpop_jkt on authorize, a proof on the token request.
    const verifier = randomBytes(32).toString("base64url");
    const url = sdk.authorizeUrl(`${server.url}/oauth2/authorize`, {
      clientId: NATIVE.client_id, redirectUri: NATIVE.redirect_uris[0], challenge: createHash("sha256").update(verifier).digest("base64url"), state: randomUUID(),
    });
    const code = new URL(await new UserAgent().signIn(url, server.url, EMAIL, PASSWORD)).searchParams.get("code")!;
    const r = await sdk.token(`${server.url}/oauth2/token`, { grant_type: "authorization_code", client_id: NATIVE.client_id, code, redirect_uri: NATIVE.redirect_uris[0], code_verifier: verifier });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    accessToken = String(r.body.access_token);
  });

  after(async () => {
    await nginx?.stop();
    await cached?.stop();
    await new Promise<void>((resolve) => { app?.closeAllConnections(); app?.close(() => resolve()); });
    await server?.close();
  });

  it("lets the proof's holder through, for the method and URI it signed, once", async () => {
    for (const through of [nginx, cached]) {
      const url = `${through.url}/private/api?page=2`;
      const auth = { authorization: `Bearer ${accessToken}` };
      const ok = await sdk.fetch(url, { headers: auth });
      assert.equal(ok.status, 200, nginx.log());
      assert.ok(((await ok.json()) as { user: string | null }).user);

      const proof = sdk.proof("POST", url);
      assert.equal((await sdk.fetch(url, { method: "POST", headers: auth, body: "x", proof })).status, 200, "the original method reaches the resolver");
      assert.equal((await sdk.fetch(url, { method: "POST", headers: auth, body: "x", proof })).status, 401, "a replayed proof, even through the cache");
      assert.equal((await sdk.fetch(url, { headers: auth, proof: sdk.proof("POST", url) })).status, 401, "a proof for another method");
      assert.equal((await sdk.fetch(url, { headers: auth, proof: null })).status, 401, "no proof");
      assert.equal((await new NativeSdk("react-native").fetch(url, { headers: auth })).status, 401, "another key's proof");
    }
  });
});
