// Phone and username login IDs in headless Chromium against the real server (issue #13): sign up
// with a username only, sign out, sign in with it typed in another case; the same with a phone
// number typed two ways. Verification is required, and must be skipped for accounts with no email.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import type { Page } from "playwright-core";
import { CHROMIUM, launchChromium, type Browser } from "../support/browser.ts";
import { startTestServer, type TestServer } from "../../packages/server/test/support/server.ts";

const PASSWORD = "a long enough password";

describe("phone and username login IDs in Chromium", { skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed` }, () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const url = (path: string): string => `${server.url}${path}`;

  before(async () => {
    server = await startTestServer({
      config: {
        identity: { login_id: { keys: [{ type: "email" }, { type: "phone" }, { type: "username" }] } },
        verification: { required: true },
      },
    });
    browser = await launchChromium();
    page = await browser.context.newPage();
    // 4xx answers (the refused sign-in, the favicon) are logged by Chromium as errors: not problems.
    page.on("console", (m) => { if (m.type() === "error" && !m.text().includes("status of 4")) problems.push(m.text()); });
    page.on("pageerror", (e) => problems.push(e.message));
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signUp(label: string, value: string): Promise<void> {
    await page.goto(url("/signup"));
    await page.getByLabel(label).fill(value);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
  }

  async function signIn(loginId: string): Promise<void> {
    await page.goto(url("/login"));
    await page.getByLabel("Email, phone number or username").fill(loginId);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
  }

  async function signOut(): Promise<void> {
    await page.goto(url("/settings"));
    await page.getByRole("link", { name: "Sign out" }).click();
    await page.getByText("You have been signed out").waitFor();
  }

  it("signs up with a username only (no email step), then signs in with it", async () => {
    await signUp("Username (optional)", "Amy_Pond");
    await page.getByText("Signed in as Amy_Pond").waitFor();
    assert.equal(new URL(page.url()).pathname, "/", "no verification step without an email");
    await page.goto(url("/settings"));
    const ways = page.locator("section[aria-labelledby=identities-heading]");
    assert.match(await ways.innerText(), /Username\s+Amy_Pond/);
    assert.equal(await page.locator("#email-heading").count(), 0);
    await page.getByText("you cannot reset your password by email").waitFor();
    await signOut();

    await signIn("AMY_POND");
    await page.getByText("Signed in as Amy_Pond").waitFor();
    await signOut();
  });

  it("signs up with a phone number, then signs in with it written another way", async () => {
    await signUp("Phone number (optional)", "+44 20 7946 0958");
    await page.getByText("Signed in as +44 20 7946 0958").waitFor();
    await signOut();
    await signIn("+442079460958");
    await page.getByText("Signed in as +44 20 7946 0958").waitFor();
    await page.goto(url("/settings"));
    assert.match(await page.locator("section[aria-labelledby=identities-heading]").innerText(), /Phone number\s+\+44 20 7946 0958/);
  });

  it("a wrong password is refused on the page", async () => {
    await page.goto(url("/login"));
    await page.getByLabel("Email, phone number or username").fill("amy_pond");
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("Incorrect email, phone number or username or password.").waitFor();
    assert.deepEqual(problems, []);
  });
});
