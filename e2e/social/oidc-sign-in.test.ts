// Social sign-in with a generic OpenID provider, end to end in Chromium: a real upstream (panva's
// oidc-provider on its own port, with its development login and consent pages) configured exactly as
// issue 13's YAML. Sign up through it from an app (x_oauth_provider_alias), sign in again from the
// login page's button, link it to a password account (account_linking login_and_link), disconnect
// and connect it in settings (never the last way in), and the failures — a forged state, a cancelled
// consent, a wrong nonce, a tampered ID token — each end on a readable page without a session.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { CHROMIUM, launchChromium, type Browser } from "../support/browser.ts";
import { freePort, SPA_CLIENT, startTestServer, type TestServer } from "../../packages/server/test/support/server.ts";
import { startUpstreamIdp, type UpstreamIdp } from "../../packages/server/test/sso/upstream-idp.ts";

const UPDATE_SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === "1";
const SCREENSHOTS = fileURLToPath(new URL("../../docs/screenshots/", import.meta.url));
const VERIFIER = "social-sign-in-e2e-pkce-verifier-0123456789abcdef";
const APP = "http://127.0.0.1:9";

describe("social sign-in with a generic OpenID provider, in Chromium", { skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed` }, () => {
  let server: TestServer;
  let idp: UpstreamIdp;
  let browser: Browser;
  let page: Page;
  /** Set by a test: the next token response's ID token has its signature altered on the way in. */
  let tamperIdToken = false;
  const url = (path: string): string => `${server.url}${path}`;

  before(async () => {
    const port = await freePort();
    idp = await startUpstreamIdp({ redirectUris: [`http://127.0.0.1:${port}/sso/oauth2/callback/corp`] });
    const upstreamFetch: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (!tamperIdToken || !String(input).endsWith("/token")) return res;
      tamperIdToken = false;
      const body = (await res.json()) as { id_token: string };
      const [h, p, sig] = body.id_token.split(".");
      const claims = JSON.parse(Buffer.from(p, "base64url").toString());
      const forged = Buffer.from(JSON.stringify({ ...claims, sub: "mallory" })).toString("base64url");
      return new Response(JSON.stringify({ ...body, id_token: `${h}.${forged}.${sig}` }), { status: 200, headers: { "content-type": "application/json" } });
    };
    server = await startTestServer({
      port, upstreamFetch,
      config: {
        identity: { oauth: { providers: [{ alias: "corp", type: "oidc", client_id: idp.clientId, client_secret: idp.clientSecret, discovery_document_endpoint: idp.discovery, name: "Corp SSO" }] } },
        account_linking: { oauth: [{ alias: "corp", oauth_claim: { pointer: "/email" }, user_profile: { pointer: "/email" }, action: "login_and_link" }] },
      },
    });
    browser = await launchChromium();
    page = await browser.context.newPage();
    // The app: its callback page only has to exist.
    await page.route(`${APP}/**`, (route) => route.fulfill({ status: 200, contentType: "text/html", body: "<p>app</p>" }));
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await idp?.close();
  });

  /** Signs in at the upstream's development pages as `name`, consenting if asked. */
  async function upstreamLogin(name: string): Promise<void> {
    await page.locator("input[name=login]").fill(name);
    await page.locator("input[name=password]").fill("anything");
    await page.getByRole("button", { name: "Sign-in" }).click();
    await Promise.race([page.getByRole("button", { name: "Continue" }).waitFor(), page.waitForURL((u) => !u.href.startsWith(idp.issuer))]);
    if (page.url().startsWith(idp.issuer)) await page.getByRole("button", { name: "Continue" }).click();
    await page.waitForURL((u) => !u.href.startsWith(idp.issuer));
  }

  async function freshBrowser(): Promise<void> {
    await browser.context.clearCookies();
  }

  async function signedInUser(): Promise<string | null> {
    const headers = (await page.context().request.get(url("/_resolver/resolve"))).headers();
    return headers["x-authgear-session-valid"] === "true" ? headers["x-authgear-user-id"] : null;
  }

  /** UPDATE_SCREENSHOTS=1 writes docs/screenshots/social-<name>.png. */
  async function shot(name: string): Promise<void> {
    if (UPDATE_SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, `social-${name}.png`), caret: "hide", animations: "disabled", fullPage: true });
  }

  async function viaButton(): Promise<void> {
    await page.goto(url("/login"));
    await shot("login");
    await page.getByRole("link", { name: "Continue with Corp SSO" }).click();
    await page.locator("input[name=login]").waitFor();
  }

  it("signs up from an app that names the provider (x_oauth_provider_alias), and the tokens say how", async () => {
    const authorize = new URL(url("/oauth2/authorize"));
    authorize.search = new URLSearchParams({
      client_id: SPA_CLIENT.client_id, redirect_uri: SPA_CLIENT.redirect_uris[0], response_type: "code", scope: "openid offline_access https://authgear.com/scopes/full-access",
      code_challenge: createHash("sha256").update(VERIFIER).digest("base64url"), code_challenge_method: "S256", x_oauth_provider_alias: "corp",
    }).toString();
    await page.goto(authorize.toString());
    assert.ok(page.url().startsWith(idp.issuer), `expected the upstream's login, got ${page.url()}`);
    await upstreamLogin("alice");
    await page.waitForURL((u) => u.href.startsWith(APP));
    const code = new URL(page.url()).searchParams.get("code");
    assert.ok(code);
    const res = await fetch(url("/oauth2/token"), {
      method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: SPA_CLIENT.redirect_uris[0], client_id: SPA_CLIENT.client_id, code_verifier: VERIFIER }),
    });
    const tokens = (await res.json()) as { access_token: string; id_token: string };
    assert.equal(res.status, 200);
    const idClaims = JSON.parse(Buffer.from(tokens.id_token.split(".")[1], "base64url").toString());
    assert.deepEqual(idClaims.amr, ["x_oauth"]);
    const user = await server.ctx.storage.users.findByEmail("alice@corp.example");
    assert.ok(user, "a user was created with the provider's verified email");
    assert.equal(user.isVerified, true);
    assert.equal(idClaims.sub, user.id);
    const identities = await server.ctx.storage.identities.listByUser(user.id);
    const oauth = identities.find((i) => i.type === "oauth");
    assert.equal(oauth?.providerAlias, "corp");
    assert.equal(oauth?.providerSubject, "alice");
    assert.equal(oauth?.claims.email, "alice@corp.example");
    assert.equal(oauth?.claims.provider_type, "oidc");
    // userinfo's identities claim, as Authgear's SDKs read it, names the provider.
    const info = (await (await fetch(url("/oauth2/userinfo"), { headers: { authorization: `Bearer ${tokens.access_token}` } })).json()) as Record<string, unknown>;
    const listed = info["https://authgear.com/claims/user/identities"] as Record<string, unknown>[];
    assert.ok(listed.some((i) => i.type === "oauth" && i.oauth_provider_type === "oidc" && i.oauth_provider_alias === "corp"), JSON.stringify(listed));
    const atClaims = JSON.parse(Buffer.from(tokens.access_token.split(".")[1], "base64url").toString());
    assert.deepEqual(atClaims.amr, ["x_oauth"]);
  });

  it("signs in again with the login page's button, as the same user", async () => {
    const alice = (await server.ctx.storage.users.findByEmail("alice@corp.example"))!;
    await freshBrowser();
    await viaButton();
    await upstreamLogin("alice");
    await page.getByText("Signed in as alice@corp.example").waitFor();
    assert.equal(await signedInUser(), alice.id);
  });

  it("links the provider to an existing password account after signing in to it (login_and_link)", async () => {
    const bobId = await server.createUser("bob@corp.example", "bobs password 123");
    await freshBrowser();
    await viaButton();
    await upstreamLogin("bob");
    await page.getByText("You already have an account with this email. Sign in to it to connect your Corp SSO account.").waitFor();
    await shot("link-notice");
    assert.equal(await signedInUser(), null);
    assert.equal((await server.ctx.storage.identities.findByProvider("corp", "bob")), null, "nothing is linked before the password");
    await page.getByLabel("Email").fill("bob@corp.example");
    await page.getByLabel("Password").fill("bobs password 123");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("Signed in as bob@corp.example").waitFor();
    assert.equal((await server.ctx.storage.identities.findByProvider("corp", "bob"))?.userId, bobId);

    // From now on the provider alone signs bob in.
    await freshBrowser();
    await viaButton();
    await upstreamLogin("bob");
    await page.getByText("Signed in as bob@corp.example").waitFor();
    assert.equal(await signedInUser(), bobId);
  });

  it("disconnects in settings, connects again, and never removes the last way in", async () => {
    const bobId = (await server.ctx.storage.users.findByEmail("bob@corp.example"))!.id;
    await page.goto(url("/settings"));
    await page.getByRole("heading", { name: "Connected accounts" }).waitFor();
    await shot("settings");
    await page.getByRole("button", { name: "Disconnect Corp SSO (bob@corp.example)" }).click();
    await page.getByText("The account was disconnected.").waitFor();
    assert.equal(await server.ctx.storage.identities.findByProvider("corp", "bob"), null);

    await page.getByRole("link", { name: "Connect Corp SSO" }).click();
    // The upstream still knows bob: it may ask nothing, or just for consent.
    if (page.url().startsWith(idp.issuer)) await upstreamLogin("bob");
    await page.getByText("The account is now connected.").waitFor();
    assert.equal((await server.ctx.storage.identities.findByProvider("corp", "bob"))?.userId, bobId);

    // alice has no password: her only connected account stays.
    await freshBrowser();
    await viaButton();
    await upstreamLogin("alice");
    await page.goto(url("/settings"));
    const response = page.waitForResponse((r) => r.url().endsWith("/settings/oauth/disconnect"));
    await page.getByRole("button", { name: "Disconnect Corp SSO (alice@corp.example)" }).click();
    assert.equal((await response).status(), 409);
    await page.getByText("This is your only way to sign in").waitFor();
    assert.ok(await server.ctx.storage.identities.findByProvider("corp", "alice"));
  });

  /** A failed sign-in: a readable page, no 500, and this browser is not signed in. */
  async function assertProblem(status: number, text: string): Promise<void> {
    await page.getByRole("heading", { name: "Signing in with Corp SSO did not work" }).waitFor();
    await page.getByText(text).waitFor();
    const last = await page.evaluate(() => (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming).responseStatus);
    assert.equal(last, status);
    assert.equal(await signedInUser(), null);
  }

  it("refuses a forged or reused state on a readable page", async () => {
    await freshBrowser();
    await page.goto(url("/sso/oauth2/callback/corp?state=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&code=stolen"));
    await assertProblem(400, "This sign-in attempt is not valid");
    // A real state from another browser (no binding cookie) is refused the same way.
    await viaButton();
    await browser.context.clearCookies({ name: "gh_sso" });
    await upstreamLogin("alice");
    await assertProblem(400, "This sign-in attempt is not valid");
  });

  it("ends a cancelled consent on a readable page", async () => {
    await freshBrowser();
    await viaButton();
    await page.getByRole("link", { name: "[ Cancel ]" }).click();
    await assertProblem(400, "You cancelled signing in with Corp SSO. Nothing was changed.");
    await shot("cancelled");
  });

  it("refuses an ID token whose nonce is not this attempt's", async () => {
    await freshBrowser();
    // Redirect hops are not routed: the start's answer is rewritten instead, changing the nonce the
    // upstream is asked to put in the ID token.
    const start = (u: URL): boolean => u.pathname.startsWith("/sso/oauth2/start/");
    await page.route(start, async (route) => {
      const response = await route.fetch({ maxRedirects: 0 });
      const headers = response.headers();
      const location = new URL(headers.location);
      location.searchParams.set("nonce", "a-nonce-this-attempt-never-sent");
      await route.fulfill({ response, headers: { ...headers, location: location.toString() } });
    });
    try {
      await viaButton();
      await upstreamLogin("alice");
    } finally {
      await page.unroute(start);
    }
    await assertProblem(400, "Corp SSO's answer could not be verified");
  });

  it("refuses a tampered ID token", async () => {
    await freshBrowser();
    await viaButton();
    tamperIdToken = true;
    await upstreamLogin("alice");
    assert.equal(tamperIdToken, false, "the token response went through the tampering fetch");
    await assertProblem(400, "Corp SSO's answer could not be verified");
    assert.equal(await server.ctx.storage.identities.findByProvider("corp", "mallory"), null);
  });
});
