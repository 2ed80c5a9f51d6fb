// One definition of the token lifetime bounds: whatever the config file refuses for a client, the
// admin API's client PATCH refuses too, and the other way round.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { createAdminKey } from "../../src/admin/keys.ts";
import { parseConfig } from "../../src/config/load.ts";
import { LIFETIME_BOUNDS } from "../../src/config/token-lifetimes.ts";
import { SPA_CLIENT, startTestServer, type TestServer } from "../support/server.ts";

const FIELDS = Object.keys(LIFETIME_BOUNDS) as (keyof typeof LIFETIME_BOUNDS)[];

describe("token lifetime bounds: config file and admin API agree", () => {
  let server: TestServer;
  let key: string;
  before(async () => {
    server = await startTestServer();
    key = (await createAdminKey(server.ctx, "test")).key;
  });
  after(async () => { await server.close(); });

  const configAccepts = (field: string, value: unknown): boolean => {
    try {
      parseConfig({ oauth: { clients: [{ ...SPA_CLIENT, [field]: value }] } });
      return true;
    } catch {
      return false;
    }
  };
  const apiAccepts = async (field: string, value: unknown): Promise<boolean> => {
    const res = await fetch(`${server.url}/_api/admin/clients/${SPA_CLIENT.client_id}`, {
      method: "PATCH", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify({ [field]: value }),
    });
    assert.ok(res.status === 200 || res.status === 400, `${field}=${String(value)}: ${res.status}`);
    return res.status === 200;
  };

  it("every lifetime: the same values pass and fail on both sides", async () => {
    for (const field of FIELDS) {
      const { min, max } = LIFETIME_BOUNDS[field];
      for (const value of [min - 1, min, max, max + 1, 0, -300, 1800.5, 31 * 86400, 20 * 365 * 86400, "3600", null]) {
        const config = configAccepts(field, value);
        assert.equal(await apiAccepts(field, value), config, `${field}=${String(value)}: the config ${config ? "accepts" : "refuses"} it`);
      }
      assert.equal(configAccepts(field, min - 1), false);
      assert.equal(configAccepts(field, max), true);
    }
  });
});
