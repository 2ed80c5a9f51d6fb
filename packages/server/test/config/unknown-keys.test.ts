// Unknown keys are refused by path, with the nearest field suggested (issue 12): a misspelt field must
// not fall back to its default silently.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseConfig, loadConfigFile } from "../../src/config/load.ts";
import { configSchema } from "../../src/config/schema.ts";
import { nearest, unknownKeys } from "../../src/config/unknown-keys.ts";
import { STARTER_CONFIG } from "../../src/config/starter.ts";
import { demoConfig } from "../../src/demo/config.ts";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { z } from "zod";
import { tmpdir } from "node:os";
import { join } from "node:path";

const refused = (raw: unknown, pattern: RegExp) => assert.throws(() => parseConfig(raw), (err: Error) => {
  assert.match(err.message, pattern);
  return true;
});

describe("unknown config keys", () => {
  it("names a misspelt top-level section and suggests the right one", () => {
    refused({ htpp: {} }, /^ {2}htpp: unknown field; did you mean http\?$/m);
  });

  it("names a misspelt field in a nested object", () => {
    refused({ http: { publc_origin: "https://id.example.com" } }, /http\.publc_origin: unknown field; did you mean public_origin\?/);
    refused({ authentication: { lockout: { max_attempt: 3 } } }, /authentication\.lockout\.max_attempt: unknown field; did you mean max_attempts\?/);
    refused({ oauth: { rate_limits: { token_per_ip: { brust: 3 } } } }, /oauth\.rate_limits\.token_per_ip\.brust: unknown field; did you mean burst\?/);
    refused({ messaging: { smtp: { hots: "mail" } } }, /messaging\.smtp\.hots: unknown field; did you mean host\?/);
  });

  it("names a misspelt field in an array item (a client's redirect_uri)", () => {
    refused(
      { oauth: { clients: [{ client_id: "a", redirect_uris: ["https://a.example/cb"] }, { client_id: "b", redirect_uri: ["https://b.example/cb"] }] } },
      /oauth\.clients\[1\]\.redirect_uri: unknown field; did you mean redirect_uris\?/,
    );
  });

  it("lists the fields when nothing is close", () => {
    refused({ database: { colour: "blue" } }, /database\.colour: unknown field \(the fields here are url, connect_timeout_ms, /);
  });

  it("reports unknown keys alongside other errors, and accepts every field the schema defines", () => {
    refused({ http: { publc_origin: "x", listen: "nope" } }, /http\.publc_origin: unknown field[^]*http\.listen: must be host:port/);
    assert.deepEqual(unknownKeys(configSchema, parseConfig({ oauth: { clients: [{ client_id: "a" }] } })), []);
  });

  it("accepts the starter config and the demo config", () => {
    const dir = mkdtempSync(join(tmpdir(), "gatehouse-config-"));
    try {
      writeFileSync(join(dir, "g.yaml"), STARTER_CONFIG);
      assert.ok(loadConfigFile(join(dir, "g.yaml")));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    assert.ok(parseConfig(demoConfig(3000)));
  });

  it("follows records, unions and loose objects, so fields other schemas add are checked the same way", () => {
    const schema = z.object({
      by_name: z.record(z.string(), z.object({ enabled: z.boolean() })).optional(),
      key: z.union([z.object({ type: z.literal("email"), max_length: z.number() }), z.object({ type: z.literal("phone") })]).optional(),
      custom: z.looseObject({ known: z.string() }).optional(),
    });
    const paths = (raw: unknown) => unknownKeys(schema, raw).map((i) => `${i.path.join(".")}: ${i.message}`);
    assert.deepEqual(paths({ by_name: { a: { enabled: true }, b: { enabeld: false } } }), ["by_name.b.enabeld: unknown field; did you mean enabled?"]);
    assert.deepEqual(paths({ key: { type: "email", max_length: 3 } }), []);
    assert.deepEqual(paths({ key: { type: "email", max_lenght: 3 } }), ["key.max_lenght: unknown field; did you mean max_length?"]);
    assert.deepEqual(paths({ custom: { known: "x", anything: 1 } }), []);
  });

  it("suggests only near names", () => {
    assert.equal(nearest("redirect_uri", ["client_id", "redirect_uris", "post_logout_redirect_uris"]), "redirect_uris");
    assert.equal(nearest("lisetn", ["listen", "public_origin"]), "listen");
    assert.equal(nearest("zzz", ["listen", "public_origin"]), null);
  });
});

describe("web clients' redirect URIs", () => {
  const client = (x_application_type: string, uri: string) => ({ oauth: { clients: [{ client_id: "c", x_application_type, redirect_uris: [uri] }] } });

  it("refuses a URI without a scheme (localhost:4000/cb parses as scheme localhost:)", () => {
    refused(client("spa", "localhost:4000/cb"), /oauth\.clients\[0\]\.redirect_uris\[0\]: "localhost:4000\/cb" has no scheme[^\n]*write http:\/\/localhost:4000\/cb/);
    refused(client("native", "127.0.0.1:8080"), /redirect_uris\[0\]: "127\.0\.0\.1:8080" has no scheme/);
    refused({ oauth: { clients: [{ client_id: "c", post_logout_redirect_uris: ["app.example.com:443/bye"] }] } }, /post_logout_redirect_uris\[0\]: "app\.example\.com:443\/bye" has no scheme/);
  });

  it("refuses custom schemes for web clients and allows them for native apps", () => {
    refused(client("spa", "com.example.app:/cb"), /redirect_uris\[0\]: must start with http:\/\/ or https:\/\/ for x_application_type spa/);
    refused(client("traditional_webapp", "myapp://cb"), /x_application_type traditional_webapp/);
    assert.deepEqual(parseConfig(client("native", "com.example.app:/cb")).oauth.clients[0].redirect_uris, ["com.example.app:/cb"]);
    assert.deepEqual(parseConfig(client("native", "com.example.app://host/cb")).oauth.clients[0].redirect_uris, ["com.example.app://host/cb"]);
    assert.deepEqual(parseConfig(client("native", "http://127.0.0.1:8080/cb")).oauth.clients[0].redirect_uris, ["http://127.0.0.1:8080/cb"]);
    assert.deepEqual(parseConfig(client("spa", "http://localhost:4000/cb")).oauth.clients[0].redirect_uris, ["http://localhost:4000/cb"]);
  });
});
