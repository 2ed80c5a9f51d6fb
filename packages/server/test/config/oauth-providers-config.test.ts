// identity.oauth.providers and account_linking as Authgear writes them, issue 13's YAML as a
// contract, and client secrets from an authgear.secrets.yaml-shaped secrets file.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, loadConfigFile, parseConfig } from "../../src/config/load.ts";

const ISSUE_13_YAML = `
identity:
  oauth:
    providers:
      - alias: corp                 # callback /sso/oauth2/callback/corp
        type: oidc
        client_id: gatehouse-at-corp
        client_secret: "s3cret"     # or from the secrets file, as Authgear's oauth.sso_provider_credentials
        discovery_document_endpoint: https://idp.corp.example/.well-known/openid-configuration
        name: Corp SSO              # the button's label
`;

function withFiles<T>(files: Record<string, string>, run: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-sso-config-"));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("social sign-in config", () => {
  it("reads issue 13's YAML as written, with Authgear's claim defaults", () => {
    const c = withFiles({ "gatehouse.yaml": ISSUE_13_YAML }, (dir) => loadConfigFile(join(dir, "gatehouse.yaml")));
    const [p] = c.identity.oauth.providers;
    assert.deepEqual(
      { alias: p.alias, type: p.type, client_id: p.client_id, client_secret: p.client_secret, discovery: p.discovery_document_endpoint, name: p.name },
      { alias: "corp", type: "oidc", client_id: "gatehouse-at-corp", client_secret: "s3cret", discovery: "https://idp.corp.example/.well-known/openid-configuration", name: "Corp SSO" },
    );
    assert.deepEqual(p.claims, { email: { assume_verified: true, required: true } });
    assert.deepEqual(c.account_linking.oauth, []);
  });

  it("names each missing per-type field, duplicate aliases and linking entries for unknown aliases", () => {
    const bad = {
      identity: {
        oauth: {
          providers: [
            { alias: "corp", type: "oidc", client_id: "a", client_secret: "x" },
            { alias: "apple", type: "apple", client_id: "b", client_secret: "x" },
            { alias: "ms", type: "azureadv2", client_id: "c", client_secret: "x" },
            { alias: "corp", type: "github", client_id: "d" },
            { alias: "bad alias", type: "google", client_id: "e", client_secret: "x" },
          ],
        },
      },
      account_linking: { oauth: [{ alias: "nobody", oauth_claim: { pointer: "/email" }, user_profile: { pointer: "/email" }, action: "login_and_link" }] },
    };
    assert.throws(() => parseConfig(bad), (err: ConfigError) => {
      assert.match(err.message, /identity\.oauth\.providers\[0\]\.discovery_document_endpoint: required for type oidc/);
      assert.match(err.message, /identity\.oauth\.providers\[1\]\.key_id: required for type apple/);
      assert.match(err.message, /identity\.oauth\.providers\[1\]\.team_id: required for type apple/);
      assert.match(err.message, /identity\.oauth\.providers\[2\]\.tenant: required for type azureadv2/);
      assert.match(err.message, /identity\.oauth\.providers\[3\]\.client_secret: required/);
      assert.match(err.message, /identity\.oauth\.providers\[4\]\.alias: letters, digits/);
      return true;
    });
    // Cross-field checks run once every provider is valid.
    const dup = { identity: { oauth: { providers: [{ alias: "gh", type: "github", client_id: "a", client_secret: "x" }, { alias: "gh", type: "github", client_id: "b", client_secret: "y" }] } }, account_linking: bad.account_linking };
    assert.throws(() => parseConfig(dup), (err: ConfigError) => {
      assert.match(err.message, /identity\.oauth\.providers\[1\]\.alias: duplicate alias/);
      assert.match(err.message, /account_linking\.oauth\[0\]\.alias: no provider has this alias/);
      return true;
    });
  });

  it("refuses an http discovery endpoint except on this machine, and linking actions Authgear does not have", () => {
    const provider = (endpoint: string) => ({ identity: { oauth: { providers: [{ alias: "corp", type: "oidc", client_id: "a", client_secret: "x", discovery_document_endpoint: endpoint }] } } });
    assert.throws(() => parseConfig(provider("http://idp.corp.example/.well-known/openid-configuration")), /must be an https:\/\/ URL/);
    assert.ok(parseConfig(provider("http://127.0.0.1:9000/.well-known/openid-configuration")));
    assert.throws(() => parseConfig({ ...provider("https://idp.example/x"), account_linking: { oauth: [{ alias: "corp", oauth_claim: { pointer: "/email" }, user_profile: { pointer: "/email" }, action: "always_link_without_login" }] } }), /account_linking\.oauth\[0\]\.action/);
  });

  it("takes client secrets from the secrets file (sso.oauth.client), over the config's", () => {
    const yaml = `
identity:
  oauth:
    providers:
      - { alias: google, type: google, client_id: g }
      - { alias: gh, type: github, client_id: h, client_secret: from-config }
`;
    const secrets = `
secrets:
  - key: db
    data: { database_url: "postgres://…" }
  - key: sso.oauth.client
    data:
      items:
        - alias: google
          client_secret: google-from-secrets
        - alias: gh
          client_secret: gh-from-secrets
`;
    const c = withFiles({ "gatehouse.yaml": yaml, "secrets.yaml": secrets }, (dir) => loadConfigFile(join(dir, "gatehouse.yaml"), { secretsFile: join(dir, "secrets.yaml") }));
    assert.deepEqual(c.identity.oauth.providers.map((p) => p.client_secret), ["google-from-secrets", "gh-from-secrets"]);
    // Without it, the provider that has no secret is named.
    assert.throws(() => withFiles({ "gatehouse.yaml": yaml }, (dir) => loadConfigFile(join(dir, "gatehouse.yaml"))), /identity\.oauth\.providers\[0\]\.client_secret: required/);
    // A malformed secrets file is an error naming the file and the entry.
    assert.throws(
      () => withFiles({ "gatehouse.yaml": yaml, "secrets.yaml": "secrets:\n  - key: sso.oauth.client\n    data: { items: [ { alias: google } ] }\n" }, (dir) => loadConfigFile(join(dir, "gatehouse.yaml"), { secretsFile: join(dir, "secrets.yaml") })),
      /secrets\.yaml: secrets\[0\]\.data\.items\[0\]: needs alias and client_secret/,
    );
  });
});
