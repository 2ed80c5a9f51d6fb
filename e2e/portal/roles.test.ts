// The portal's roles, groups and user profile in Chromium against the real server: an operator
// creates a role and a group, gives the group the role, puts a user in the group, edits the user's
// attributes (a bad value is refused in the dialog), finds them by role — and the user's live
// access token answers userinfo and the resolver with the new role at once.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import type { Page } from "playwright-core";
import { setup, loginWithPkce, exchange, EMAIL, type Fixture } from "../../packages/server/test/oauth/fixture.ts";
import { createAdminKey } from "../../packages/server/src/admin/keys.ts";
import { CHROMIUM, launchChromium, type Browser } from "../support/browser.ts";

describe("portal: roles, groups and attributes", { skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed` }, () => {
  let f: Fixture;
  let key: string;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    f = await setup({ config: { user_profile: { custom_attributes: { attributes: [{ id: "t1", pointer: "/tier", type: "enum", enum: ["gold", "silver"], access_control: { end_user: "readonly", bearer: "readonly", portal_ui: "readwrite" } }] } } } });
    key = (await createAdminKey(f.server.ctx, "portal")).key;
    browser = await launchChromium();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.setDefaultTimeout(5000);
    page.on("pageerror", (err) => pageErrors.push(err.message));
  });
  after(async () => {
    await browser?.close();
    await f?.server.close();
  });

  it("creates a role and a group, assigns them, edits attributes; tokens see it at once", async () => {
    const tokens = await exchange(f, await loginWithPkce(f));
    const bearer = { authorization: `Bearer ${tokens.access_token}` };
    await page.goto(`${f.server.url}/portal#/roles`);
    await page.getByLabel("Admin API key").fill(key);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Roles and groups", level: 1 }).waitFor();

    const dialog = page.getByRole("dialog");
    await page.getByRole("button", { name: "New role" }).click();
    await dialog.getByLabel("Key").fill("store-manager");
    await dialog.getByRole("button", { name: "Create role" }).click();
    await dialog.getByText(/must be 1-40 characters/i).first().waitFor();
    await dialog.getByLabel("Key").fill("store_manager");
    await dialog.getByLabel("Name").fill("Store <b>manager</b>");
    await dialog.getByRole("button", { name: "Create role" }).click();
    await page.getByText("Role store_manager created.").waitFor();
    await page.getByText("Store <b>manager</b>").waitFor();

    await page.getByRole("button", { name: "New group" }).click();
    await dialog.getByLabel("Key").fill("managers");
    await dialog.getByRole("button", { name: "Create group" }).click();
    await page.getByText("Group managers created.").waitFor();
    await page.getByRole("button", { name: "Add roles" }).click();
    await dialog.getByLabel("Role keys").fill("store_manager");
    await dialog.getByRole("button", { name: "Add roles" }).click();
    await page.getByText("Roles added to managers.").waitFor();

    await page.goto(`${f.server.url}/portal#/users/${f.userId}`);
    await page.getByRole("heading", { name: EMAIL, level: 1 }).waitFor();
    await page.getByRole("button", { name: "Add to groups" }).click();
    await dialog.getByLabel("Group keys").fill("managers");
    await dialog.getByRole("button", { name: "Add", exact: true }).click();
    await page.getByText("Added to groups.").waitFor();
    const userinfo = await (await fetch(`${f.server.url}/oauth2/userinfo`, { headers: bearer })).json();
    assert.deepEqual(userinfo["https://authgear.com/claims/user/roles"], ["store_manager"]);
    assert.equal((await fetch(`${f.server.url}/_resolver/resolve`, { headers: bearer })).headers.get("x-authgear-user-roles"), "store_manager");

    await page.getByRole("button", { name: "Edit attributes" }).click();
    await dialog.getByLabel("Standard attributes (JSON)").fill('{"given_name": "Alice", "birthdate": "1990-13-01"}');
    await dialog.getByLabel("Custom attributes (JSON, by pointer name)").fill('{"tier": "gold"}');
    await dialog.getByRole("button", { name: "Save" }).click();
    await dialog.getByText(/birthdate: must be a real date/i).waitFor();
    await dialog.getByLabel("Standard attributes (JSON)").fill('{"given_name": "Alice", "birthdate": "1990-12-01"}');
    await dialog.getByRole("button", { name: "Save" }).click();
    await page.getByText("Attributes saved.").waitFor();
    await page.getByText("tier (custom)").waitFor();

    await page.goto(`${f.server.url}/portal#/users`);
    await page.getByLabel("Search users").fill("role:store_manager");
    await page.waitForFunction(() => document.querySelectorAll("table.data-table tbody tr").length === 1);
    await page.getByLabel("Search users").fill("gold");
    await page.waitForFunction(() => document.querySelectorAll("table.data-table tbody tr").length === 1);
    assert.equal(await page.locator("main b").count(), 0, "names are text, never HTML");
    assert.deepEqual(pageErrors, []);
  });
});
