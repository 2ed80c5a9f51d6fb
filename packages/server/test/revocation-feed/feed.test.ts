// The public revocation feed: polling with a cursor and SSE, publishing only hashes.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { setup, loginWithPkce, exchange, type Fixture } from "../oauth/fixture.ts";

const hash = (v: string): string => createHash("sha256").update(v).digest("base64url");
const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString()) as { sid: string; sub: string };

describe("revocation feed", () => {
  let f: Fixture;
  before(async () => { f = await setup(); });
  after(async () => { await f.server.close(); });

  it("lists a revoked grant by the hash of the tokens' sid, after a cursor", async () => {
    const start = (await (await fetch(`${f.server.url}/_api/revocations`)).json()).cursor;
    const tokens = await exchange(f, await loginWithPkce(f));
    await fetch(`${f.server.url}/oauth2/revoke`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `token=${tokens.refresh_token}` });
    const page = await (await fetch(`${f.server.url}/_api/revocations?after=${start}`)).json();
    assert.equal(page.events.length, 1);
    assert.equal(page.events[0].claim, "sid");
    assert.equal(page.events[0].hash, hash(claims(tokens.access_token).sid));
    assert.ok(page.events[0].expires_at > page.events[0].revoked_at);
    assert.doesNotMatch(JSON.stringify(page), new RegExp(claims(tokens.access_token).sid.slice(2)));
    const later = await (await fetch(`${f.server.url}/_api/revocations?after=${page.cursor}`)).json();
    assert.equal(later.events.length, 0);
  });

  it("streams revocations over SSE within a second, resuming from Last-Event-ID", async () => {
    const tokens = await exchange(f, await loginWithPkce(f));
    const controller = new AbortController();
    const res = await fetch(`${f.server.url}/_api/revocations/stream`, { signal: controller.signal });
    assert.equal(res.headers.get("content-type"), "text/event-stream");
    const reader = res.body!.getReader();
    const t0 = Date.now();
    await fetch(`${f.server.url}/oauth2/revoke`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `token=${tokens.refresh_token}` });
    let text = "";
    while (!text.includes("event: revocation")) text += new TextDecoder().decode((await reader.read()).value);
    assert.ok(Date.now() - t0 < 1000);
    const data = JSON.parse(/data: (.*)\n/.exec(text)![1]);
    assert.equal(data.hash, hash(claims(tokens.access_token).sid));
    controller.abort();

    const replay = new AbortController();
    const again = await fetch(`${f.server.url}/_api/revocations/stream`, { headers: { "last-event-id": String(data.seq - 1) }, signal: replay.signal });
    const r2 = again.body!.getReader();
    let t2 = "";
    while (!t2.includes("event: revocation")) t2 += new TextDecoder().decode((await r2.read()).value);
    assert.match(t2, new RegExp(`id: ${data.seq}`));
    replay.abort();
  });
});
