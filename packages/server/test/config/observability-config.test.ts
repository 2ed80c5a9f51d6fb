// The config fields this branch adds: database limits (with their ordering) and metrics exposure.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseConfig, ConfigError } from "../../src/config/load.ts";

describe("config: database limits and metrics", () => {
  it("defaults bound every database wait, and metrics are not exposed", () => {
    const c = parseConfig({});
    assert.deepEqual(
      { ...c.database, url: undefined },
      { url: undefined, connect_timeout_ms: 2000, query_timeout_ms: 5000, statement_timeout_ms: 4000, idle_in_transaction_timeout_ms: 3000, keepalive: true, pool_max: 10 },
    );
    assert.equal(c.metrics.listen, undefined);
    assert.equal(c.metrics.bearer_token, undefined);
  });

  it("server-side limits must be below the client's query timeout (else a caller that gave up could see its work committed)", () => {
    for (const key of ["statement_timeout_ms", "idle_in_transaction_timeout_ms"]) {
      assert.throws(() => parseConfig({ database: { query_timeout_ms: 3000, [key]: 3000 } }), (err: Error) => err instanceof ConfigError && err.message.includes(`database.${key}`));
    }
  });

  it("refuses a short bearer token and a listen address without a port", () => {
    assert.throws(() => parseConfig({ metrics: { bearer_token: "short" } }), /metrics\.bearer_token/);
    assert.throws(() => parseConfig({ metrics: { listen: "127.0.0.1" } }), /metrics\.listen/);
    assert.equal(parseConfig({ metrics: { listen: "127.0.0.1:9464" } }).metrics.listen, "127.0.0.1:9464");
  });
});
