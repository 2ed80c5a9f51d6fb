// Webhooks in the portal, in Chromium against the real server and a real node:http receiver: the
// handler is listed under Webhooks; its page shows the user.created delivery that died (the receiver
// answered 500) with the receiver's status and body; Replay sends it again and it is delivered;
// "Send test event" reaches the receiver signed and is listed with its answer.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import type { Page } from "playwright-core";
import { startTestServer, type TestServer } from "../../packages/server/test/support/server.ts";
import { startReceiver, type Receiver } from "../../packages/server/test/hooks/receiver.ts";
import { createAdminKey } from "../../packages/server/src/admin/keys.ts";
import { CHROMIUM, launchChromium, type Browser } from "../support/browser.ts";

const SECRET = "portal-webhook-secret-0123456789";

describe("portal: webhooks", { skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed` }, () => {
  let server: TestServer;
  let receiver: Receiver;
  let browser: Browser;
  let page: Page;
  let up = false;
  const pageErrors: string[] = [];

  before(async () => {
    receiver = await startReceiver(SECRET, () => (up ? { status: 200, body: { received: true } } : { status: 500, body: { error: "receiver down" } }));
    server = await startTestServer({
      config: { hook: { x_webhook_secret: SECRET, non_blocking_handlers: [{ events: ["user.created"], url: receiver.url }], x_delivery: { max_attempts: 1, poll_interval_seconds: 0.1 } } },
    });
    browser = await launchChromium();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.setDefaultTimeout(5000);
    page.on("pageerror", (err) => pageErrors.push(`pageerror: ${err.message}`));
    page.on("console", (msg) => { if (msg.type() === "error" && !/status of 4\d\d/.test(msg.text())) pageErrors.push(`console: ${msg.text()}`); });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await receiver?.close();
  });

  it("lists the handler, shows a dead delivery, replays it and sends a test event", async () => {
    const userId = await server.createUser("hooked@example.com", "correct horse battery");
    await receiver.waitFor((r) => r.length === 1);
    const { key } = await createAdminKey(server.ctx, "portal");
    await page.goto(`${server.url}/portal`);
    await page.getByLabel("Admin API key").fill(key);
    await page.getByRole("button", { name: "Sign in" }).click();

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Webhooks" }).click();
    const row = page.locator(`tr[data-handler="${receiver.url}"]`);
    await row.getByText("user.created").waitFor();
    await row.getByText("Non-blocking").waitFor();
    await row.getByRole("link", { name: receiver.url }).click();
    await page.getByRole("heading", { level: 1, name: receiver.url }).waitFor();

    // The dead delivery, with the receiver's answer; the filter keeps it under "Dead" and not "Delivered".
    const deliveries = page.locator("section[aria-labelledby=deliveries-h]");
    let dead = deliveries.locator("tbody tr").filter({ hasText: "user.created" });
    for (let i = 0; i < 50 && !(await dead.getByText("Dead").isVisible()); i++) {
      await new Promise((r) => setTimeout(r, 100));
      await deliveries.getByRole("button", { name: "Refresh" }).click();
    }
    await dead.getByText("HTTP 500").waitFor();
    await dead.getByText(/receiver down/).waitFor();
    await dead.getByText(/\d+ ms/).waitFor();
    await page.getByLabel("Status").selectOption("delivered");
    await page.getByRole("button", { name: "Filter" }).click();
    await deliveries.getByText("No delivered deliveries.").waitFor();
    await page.getByLabel("Status").selectOption("dead");
    await page.getByRole("button", { name: "Filter" }).click();
    assert.match(page.url(), /\?status=dead$/);
    dead = deliveries.locator("tbody tr").filter({ hasText: "user.created" });
    await dead.getByText("Dead").waitFor();

    // Replay once the receiver is back: it arrives and the delivery turns delivered.
    up = true;
    await dead.getByRole("button", { name: /^Replay user\.created delivery/ }).click();
    await page.getByText(/will be sent again now/).waitFor();
    await receiver.waitFor(() => receiver.delivered().length === 1);
    assert.equal(receiver.delivered()[0].event.type, "user.created");
    assert.equal(receiver.delivered()[0].event.payload.user.id, userId);
    await page.getByLabel("Status").selectOption("");
    await page.getByRole("button", { name: "Filter" }).click();
    const row2 = deliveries.locator("tbody tr").filter({ hasText: "user.created" });
    for (let i = 0; i < 50 && !(await row2.getByText("Delivered", { exact: true }).isVisible()); i++) {
      await new Promise((r) => setTimeout(r, 100));
      await deliveries.getByRole("button", { name: "Refresh" }).click();
    }
    await row2.getByText("HTTP 200").waitFor();
    await row2.getByText(/received/).waitFor();

    // Send test event: signed, at the receiver, and listed on the page with its answer.
    await page.getByRole("button", { name: "Send test event" }).click();
    await page.getByText(/^Test event delivered \(HTTP 200, \d+ ms\)\.$/).waitFor();
    const test = receiver.received.at(-1)!;
    assert.equal(test.event.type, "x_gatehouse.test");
    assert.ok(test.signatureOk);
    const tests = page.locator("section[aria-labelledby=test-h] tbody tr");
    assert.equal(await tests.count(), 1);
    await tests.getByText("HTTP 200").waitFor();
    await tests.getByText("Delivered").waitFor();

    // On a phone the page does not scroll sideways (tables become cards, the long URL wraps).
    await page.setViewportSize({ width: 375, height: 800 });
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), "no sideways scrolling at 375 px");
    await page.setViewportSize({ width: 1280, height: 800 });

    // A handler that is not configured, and a hostile status filter, get a readable message.
    await page.goto(`${server.url}/portal#/hooks/${encodeURIComponent("http://169.254.169.254/")}`);
    await page.getByText("No handler with this URL is configured.").waitFor();
    await page.goto(`${server.url}/portal#/hooks/${encodeURIComponent(receiver.url)}?status=bogus`);
    await page.locator("section[aria-labelledby=deliveries-h] [role=alert]").waitFor();
    assert.equal(receiver.received.filter((r) => r.event.type === "x_gatehouse.test").length, 1, "opening pages sends nothing");
    // Both operator actions are in the audit log, in words.
    await page.goto(`${server.url}/portal#/audit`);
    await page.locator("table").getByText("Webhook delivery replayed").waitFor();
    await page.locator("table").getByText("Webhook test event sent").waitFor();
    assert.deepEqual(pageErrors, []);
  });
});
