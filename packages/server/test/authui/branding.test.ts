// Branding from config (ui.*): app name, logo, primary colour, custom CSS, favicon, colour scheme;
// all served from our origin so the page CSP is unchanged. Pages over HTTP here; how Chromium draws
// them (dark mode, rtl, the custom CSS applied) is e2e/branding/branding.test.ts.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { startTestServer, type TestServer } from "../support/server.ts";
import { UserAgent } from "../support/user-agent.ts";
import { parseConfig } from "../../src/config/load.ts";
import { loadBrandAssets } from "../../src/account/ui/branding.ts";
import { DARK, contrast } from "../../src/http/theme.ts";
import { PNG, authorizeUrl, brandFiles } from "./ui-fixture.ts";

const CSP = ["default-src 'none'", "style-src 'self'", "img-src 'self' data:"];

describe("branding from config", () => {
  let s: TestServer;
  let files: ReturnType<typeof brandFiles>;
  before(async () => {
    files = brandFiles();
    s = await startTestServer({
      config: { ui: { app_name: "Acme <Cloud>", logo_file: files.logo, favicon_file: files.favicon, custom_css_file: files.css, primary_color: "#0a7d50" } },
    });
  });
  after(async () => {
    await s?.close();
    rmSync(files.dir, { recursive: true, force: true });
  });

  it("pages show the app name and logo, link the theme and favicon, and keep the CSP", async () => {
    for (const path of ["/login", "/signup", "/forgot"]) {
      const res = await new UserAgent().request(`${s.url}${path}`);
      const html = await res.text();
      assert.match(html, /<title>[^<]+ · Acme &lt;Cloud&gt;<\/title>/, path);
      assert.match(html, /<header class="brand"><img class="brand-logo" src="\/_gatehouse\/logo" alt=""><span class="brand-name">Acme &lt;Cloud&gt;<\/span><\/header>/, path);
      assert.match(html, /<link rel="icon" href="\/_gatehouse\/favicon">/, path);
      assert.match(html, /<link rel="stylesheet" href="\/_gatehouse\/theme.css">\n<\/head>/, `${path}: theme.css comes last, so it overrides`);
      const csp = res.headers.get("content-security-policy")!.split("; ");
      for (const directive of CSP) assert.ok(csp.includes(directive), `${path}: ${directive} in ${csp.join("; ")}`);
    }
  });

  it("serves the configured logo, favicon and theme (colour + custom CSS) from our origin", async () => {
    const logo = await fetch(`${s.url}/_gatehouse/logo`);
    assert.equal(logo.status, 200);
    assert.equal(logo.headers.get("content-type"), "image/png");
    assert.deepEqual(Buffer.from(await logo.arrayBuffer()), PNG);
    for (const path of ["/favicon.ico", "/_gatehouse/favicon"]) {
      const icon = await fetch(`${s.url}${path}`);
      assert.equal(icon.status, 200, path);
      assert.equal(icon.headers.get("content-type"), "image/png", path);
      assert.match(icon.headers.get("content-security-policy")!, /sandbox/);
      assert.deepEqual(Buffer.from(await icon.arrayBuffer()), PNG);
    }
    const theme = await fetch(`${s.url}/_gatehouse/theme.css`);
    assert.equal(theme.status, 200);
    assert.match(theme.headers.get("content-type")!, /^text\/css/);
    const css = await theme.text();
    assert.match(css, /:root\{--primary:#0a7d50;--on-primary:#fff;--link:#0a7d50\}/, "the primary colour, with readable text on it");
    // The dark theme keeps the brand colour for buttons; links are lightened until they read on the dark card.
    const dark = /:root\[data-color-scheme=dark\]\{--primary:#0a7d50;--on-primary:#fff;--link:(#[0-9a-f]{6})\}/.exec(css);
    assert.ok(dark, css);
    assert.ok(contrast(dark[1], DARK.surface) >= 4.5 && dark[1] !== "#0a7d50", dark[1]);
    assert.match(css, /\.card\{border-top:6px solid rgb\(10, 125, 80\)\}/, "the custom CSS file");
  });

  it("x_color_scheme on /oauth2/authorize pins the scheme of the pages that follow", async () => {
    const agent = new UserAgent();
    const first = await agent.request(authorizeUrl(s.url, { x_color_scheme: "dark" }));
    assert.ok(first.headers.getSetCookie().some((c) => c.startsWith("x_color_scheme=dark;")));
    const login = await (await agent.request(new URL(first.headers.get("location")!, s.url).toString())).text();
    assert.match(login, /<html lang="en" dir="ltr" data-color-scheme="dark">/);
    assert.match(login, /<meta name="color-scheme" content="dark">/);
    assert.match(await (await agent.request(`${s.url}/forgot`)).text(), /data-color-scheme="dark"/, "later pages too");
    const auto = await (await new UserAgent().request(`${s.url}/login`)).text();
    assert.match(auto, /<html lang="en" dir="ltr">/, "no pin: the browser's preference decides");
    assert.match(auto, /<meta name="color-scheme" content="light dark">/);
    assert.match(await (await new UserAgent().request(`${s.url}/login?x_color_scheme=nonsense`)).text(), /<html lang="en" dir="ltr">/);
  });
});

describe("default branding", () => {
  let s: TestServer;
  before(async () => { s = await startTestServer({ config: { ui: { dark_theme_disabled: true } } }); });
  after(async () => { await s?.close(); });

  it("a favicon answers 200 on every hosted page's link and at /favicon.ico; no brand line, no logo route", async () => {
    for (const path of ["/favicon.ico", "/_gatehouse/favicon"]) {
      const icon = await fetch(`${s.url}${path}`);
      assert.equal(icon.status, 200, path);
      assert.equal(icon.headers.get("content-type"), "image/svg+xml", path);
      assert.match(await icon.text(), /^<svg /);
    }
    const html = await (await new UserAgent().request(`${s.url}/login`)).text();
    assert.match(html, /<title>Sign in · Gatehouse<\/title>/);
    assert.doesNotMatch(html, /class="brand"/);
    assert.equal((await fetch(`${s.url}/_gatehouse/logo`)).status, 404);
    assert.equal(await (await fetch(`${s.url}/_gatehouse/theme.css`)).text(), "", "no colours or CSS configured");
  });

  it("ui.dark_theme_disabled keeps pages light even when the app asks for dark", async () => {
    const agent = new UserAgent();
    const first = await agent.request(authorizeUrl(s.url, { x_color_scheme: "dark" }));
    const login = await (await agent.request(new URL(first.headers.get("location")!, s.url).toString())).text();
    assert.match(login, /<html lang="en" dir="ltr" data-color-scheme="light">/);
  });
});

describe("branding config errors", () => {
  it("name the field: both themes off, a bad colour, a logo of another type, a file that is not there", () => {
    assert.throws(() => parseConfig({ ui: { dark_theme_disabled: true, light_theme_disabled: true } }), /ui\.light_theme_disabled: cannot be true together with dark_theme_disabled/);
    assert.throws(() => parseConfig({ ui: { primary_color: "red; background:url(x)" } }), /ui\.primary_color: must be a hex colour/);
    assert.throws(() => parseConfig({ ui: { logo_file: "logo.html" } }), /ui\.logo_file: must be a PNG, JPEG, GIF, WebP or SVG file/);
    assert.throws(() => parseConfig({ ui: { primary_colour: "#fff" } }), /ui\.primary_colour: unknown field; did you mean primary_color\?/);
    assert.throws(() => loadBrandAssets(parseConfig({ ui: { logo_file: "/nonexistent/logo.png" } })), /^ConfigError: ui\.logo_file: cannot read \/nonexistent\/logo\.png: ENOENT$/);
  });
});
