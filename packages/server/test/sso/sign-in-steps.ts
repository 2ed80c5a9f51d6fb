// The browser's side of a social sign-in, over plain HTTP: press the provider's button on the login
// page, and come back to the callback as the provider would send the user.
import assert from "node:assert/strict";
import type { TestServer } from "../support/server.ts";
import { UserAgent } from "../support/user-agent.ts";

/** Presses "Continue with …" for `alias` on /login; returns the provider's authorization URL. */
export async function pressButton(s: TestServer, agent: UserAgent, alias: string): Promise<URL> {
  const html = await (await agent.request(`${s.url}/login`)).text();
  const href = new RegExp(`href="(/sso/oauth2/start/${alias}[^"]*)"`).exec(html)?.[1];
  assert.ok(href, `no button for ${alias} on the login page`);
  const res = await agent.request(`${s.url}${href.replace(/&amp;/g, "&")}`);
  assert.equal(res.status, 302);
  return new URL(res.headers.get("location")!);
}

/** Comes back to the callback with `params`; follows our redirects; returns the last page. */
export async function comeBack(s: TestServer, agent: UserAgent, alias: string, params: Record<string, string>): Promise<{ url: string; status: number; html: string }> {
  const r = await agent.follow(`${s.url}/sso/oauth2/callback/${alias}?${new URLSearchParams(params)}`, s.url);
  return { url: r.url, status: r.response.status, html: await r.response.text() };
}

export { UserAgent };
