import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseConfig, ConfigError } from "../../src/config/load.ts";
import { deriveCookieDomain } from "../../src/session/cookie.ts";

describe("config validation", () => {
  it("fills Authgear's defaults", () => {
    const c = parseConfig({ oauth: { clients: [{ client_id: "a", redirect_uris: ["https://app.example.com/cb"] }] } });
    assert.equal(c.database.url, "sqlite:./data/gatehouse.db");
    assert.equal(c.oauth.clients[0].access_token_lifetime_seconds, 1800);
    assert.equal(c.oauth.clients[0].refresh_token_lifetime_seconds, 31449600);
    assert.equal(c.oauth.clients[0].refresh_token_idle_timeout_seconds, 2592000);
    assert.equal(c.oauth.clients[0].refresh_token_rotation_grace_period_seconds, 10);
    assert.equal(c.session.idle_timeout_seconds, 2592000);
  });

  it("names the path and the problem", () => {
    const bad = { oauth: { clients: [{ client_id: "a" }, { client_id: "b", redirect_uris: ["not a url"], access_token_lifetime_seconds: 10 }] } };
    assert.throws(() => parseConfig(bad), (err: ConfigError) => {
      assert.match(err.message, /oauth\.clients\[1\]\.redirect_uris\[0\]: must be an absolute URL/);
      assert.match(err.message, /oauth\.clients\[1\]\.access_token_lifetime_seconds/);
      return true;
    });
  });

  it("requires a secret for confidential clients and refuses one for public clients", () => {
    assert.throws(() => parseConfig({ oauth: { clients: [{ client_id: "c", x_application_type: "confidential" }] } }), /client_secret: required/);
    assert.throws(() => parseConfig({ oauth: { clients: [{ client_id: "s", client_secret: "0123456789abcdef0" }] } }), /only confidential/);
    assert.throws(() => parseConfig({ oauth: { clients: [{ client_id: "d" }, { client_id: "d" }] } }), /duplicate client_id/);
  });

  it("takes an optional Redis URL for shared state, and names a wrong one", () => {
    assert.equal(parseConfig({}).redis.url, undefined);
    assert.deepEqual(parseConfig({ redis: { url: "rediss://cache.internal:6380/2" } }).redis, { url: "rediss://cache.internal:6380/2", key_prefix: "gatehouse:" });
    assert.throws(() => parseConfig({ redis: { url: "http://cache.internal" } }), /redis\.url: must be a redis:\/\/ or rediss:\/\/ URL/);
  });
});

describe("cookie domain derivation", () => {
  it("strips the first label but never goes above the registrable domain", () => {
    assert.equal(deriveCookieDomain("identity.example.com"), "example.com");
    assert.equal(deriveCookieDomain("auth.apps.example.com"), "apps.example.com");
    assert.equal(deriveCookieDomain("example.com"), "example.com");
    assert.equal(deriveCookieDomain("identity.example.co.uk"), "example.co.uk");
    assert.equal(deriveCookieDomain("example.co.uk"), "example.co.uk");
    assert.equal(deriveCookieDomain("localhost"), undefined);
    assert.equal(deriveCookieDomain("127.0.0.1"), undefined);
  });
});
