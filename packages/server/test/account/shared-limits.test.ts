// Two Gatehouse nodes configured with the same `redis.url` share their rate limits: a client that
// spreads its requests over both still meets the limit (here /oauth2/token's per-IP limit).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { SPA_CLIENT, startTestServer, type TestServer } from "../support/server.ts";
import { REDIS_URL, dropRedisKeys } from "../support/redis.ts";

describe("rate limits shared through Redis", () => {
  const prefix = `gh-test-${randomBytes(6).toString("hex")}:`;
  const config = {
    redis: { url: REDIS_URL, key_prefix: prefix },
    oauth: { clients: [SPA_CLIENT], rate_limits: { token_per_ip: { burst: 4, period: "1m" } } },
  };
  let nodes: TestServer[] = [];

  before(async () => {
    nodes = [await startTestServer({ config }), await startTestServer({ config })];
  });
  after(async () => {
    await Promise.all(nodes.map((n) => n.close()));
    await dropRedisKeys(prefix);
  });

  const tokenRequest = (node: TestServer) => fetch(`${node.url}/oauth2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "grant_type=refresh_token&refresh_token=not-a-token&client_id=test-spa",
  });

  it("counts requests to either node against one bucket", async () => {
    for (const node of [nodes[0], nodes[1], nodes[0], nodes[1]]) {
      const res = await tokenRequest(node);
      assert.equal(res.status, 400, "within the limit: the grant's own error");
      assert.equal((await res.json()).error, "invalid_grant");
    }
    for (const node of nodes) {
      const res = await tokenRequest(node);
      assert.equal(res.status, 429);
      assert.equal((await res.json()).error, "slow_down");
      assert.ok(Number(res.headers.get("retry-after")) > 0);
    }
  });
});
