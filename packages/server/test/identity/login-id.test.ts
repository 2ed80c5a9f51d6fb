// Login-ID config (identity.login_id, ui.phone_input) and the per-type normalisers.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseConfig } from "../../src/config/load.ts";
import { candidateKeys, normaliseLoginId } from "../../src/identity/login-id/index.ts";
import type { Config } from "../../src/config/schema.ts";

const config = (identity: unknown = {}, ui: unknown = {}): Config => parseConfig({ identity: { login_id: identity }, ui: { phone_input: ui } });
const norm = (c: Config, key: string, input: string) => normaliseLoginId(c, c.identity.login_id.keys.find((k) => k.key === key)!, input);
const ok = (loginId: string, original: string) => ({ ok: true, loginId, original });
const refused = (reason: string) => ({ ok: false, reason });

describe("identity.login_id config", () => {
  it("defaults to Authgear's: one email key, max 320, the type options' defaults", () => {
    const c = config();
    assert.deepEqual(c.identity.login_id.keys, [{ key: "email", type: "email", max_length: 320, modify_disabled: false }]);
    assert.deepEqual(c.identity.login_id.types.email, { case_sensitive: false, block_plus_sign: false, ignore_dot_sign: false });
    assert.deepEqual(c.identity.login_id.types.username, { block_reserved_usernames: true, ascii_only: true, case_sensitive: false });
    assert.deepEqual(c.ui.phone_input, { allowlist: [], pinned_list: [] });
  });

  it("a key defaults to its type's name and Authgear's max_length", () => {
    const c = config({ keys: [{ type: "phone" }, { type: "username", max_length: 12, modify_disabled: true }, { key: "work_email", type: "email" }] });
    assert.deepEqual(c.identity.login_id.keys, [
      { key: "phone", type: "phone", max_length: 40, modify_disabled: false },
      { key: "username", type: "username", max_length: 12, modify_disabled: true },
      { key: "work_email", type: "email", max_length: 320, modify_disabled: false },
    ]);
  });

  it("refuses unknown types, duplicate keys, bad regions and unknown options", () => {
    assert.throws(() => config({ keys: [{ type: "fax" }] }), /identity\.login_id\.keys\[0\]\.type/);
    assert.throws(() => config({ keys: [{ type: "email" }, { key: "email", type: "username" }] }), /duplicate login ID key/);
    assert.throws(() => config({}, { allowlist: ["hk"] }), /ui\.phone_input\.allowlist\[0\]/);
    assert.throws(() => config({ keys: [] }), /identity\.login_id\.keys/);
  });
});

describe("email login IDs", () => {
  it("lowercase the domain always and the local part unless case_sensitive", () => {
    assert.deepEqual(norm(config(), "email", "  John.Doe@Example.COM "), ok("john.doe@example.com", "John.Doe@Example.COM"));
    const sensitive = config({ types: { email: { case_sensitive: true } } });
    assert.deepEqual(norm(sensitive, "email", "John.Doe@Example.COM"), ok("John.Doe@example.com", "John.Doe@Example.COM"));
  });

  it("ignore_dot_sign drops dots from the local part; block_plus_sign refuses a +", () => {
    assert.deepEqual(norm(config({ types: { email: { ignore_dot_sign: true } } }), "email", "j.o.e@x.example"), ok("joe@x.example", "j.o.e@x.example"));
    assert.deepEqual(norm(config(), "email", "joe+tag@x.example"), ok("joe+tag@x.example", "joe+tag@x.example"));
    assert.deepEqual(norm(config({ types: { email: { block_plus_sign: true } } }), "email", "joe+tag@x.example"), refused("plus_sign"));
  });

  it("NFKC folds compatibility forms; refuses what is not an address; counts max_length", () => {
    assert.deepEqual(norm(config(), "email", "ｊｏｅ@x.example"), ok("joe@x.example", "ｊｏｅ@x.example"));
    assert.deepEqual(norm(config(), "email", "not-an-email"), refused("invalid_email"));
    assert.deepEqual(norm(config(), "email", "   "), refused("required"));
    assert.deepEqual(norm(config({ keys: [{ type: "email", max_length: 10 }] }), "email", "long@x.example"), refused("too_long"));
  });
});

describe("username login IDs", () => {
  const c = config({ keys: [{ type: "username" }] });
  it("ascii_only (the default): letters, digits, _ - . and lowercased", () => {
    assert.deepEqual(norm(c, "username", " Mary_Jane-1.x "), ok("mary_jane-1.x", "Mary_Jane-1.x"));
    assert.deepEqual(norm(c, "username", "mary jane"), refused("invalid_username"));
    assert.deepEqual(norm(c, "username", "josé"), refused("invalid_username"));
    assert.deepEqual(norm(config({ keys: [{ type: "username" }], types: { username: { case_sensitive: true } } }), "username", "Mary"), ok("Mary", "Mary"));
  });

  it("reserved names are refused whatever the case, unless block_reserved_usernames is off", () => {
    assert.deepEqual(norm(c, "username", "Admin"), refused("reserved_username"));
    assert.deepEqual(norm(c, "username", "postmaster"), refused("reserved_username"));
    const open = config({ keys: [{ type: "username" }], types: { username: { block_reserved_usernames: false } } });
    assert.deepEqual(norm(open, "username", "Admin"), ok("admin", "Admin"));
  });

  it("without ascii_only: any one writing system, but no look-alike mix of scripts", () => {
    const u = config({ keys: [{ type: "username" }], types: { username: { ascii_only: false } } });
    assert.deepEqual(norm(u, "username", "José"), ok("josé", "José"));
    assert.deepEqual(norm(u, "username", "Дмитрий"), ok("дмитрий", "Дмитрий"));
    assert.deepEqual(norm(u, "username", "やまだ太郎"), ok("やまだ太郎", "やまだ太郎"));
    // "pаypal" with a Cyrillic а.
    assert.deepEqual(norm(u, "username", "p\u0430ypal"), refused("mixed_script"));
    assert.deepEqual(norm(u, "username", "a\u200bb"), refused("invalid_username"));
  });
});

describe("phone login IDs", () => {
  const c = config({ keys: [{ type: "phone" }] });
  it("become E.164; the original is kept as typed", () => {
    assert.deepEqual(norm(c, "phone", " +852 6123 4567 "), ok("+85261234567", "+852 6123 4567"));
    assert.deepEqual(norm(c, "phone", "+44 20 7946 0958"), ok("+442079460958", "+44 20 7946 0958"));
  });

  it("refuses numbers libphonenumber does not know as valid, and text", () => {
    assert.deepEqual(norm(c, "phone", "+852 123"), refused("invalid_phone"));
    assert.deepEqual(norm(c, "phone", "call me"), refused("invalid_phone"));
    assert.deepEqual(norm(c, "phone", "61234567"), refused("invalid_phone"), "no + and no pinned region");
  });

  it("reads a number without + in the first pinned region; the allowlist limits regions", () => {
    const hk = config({ keys: [{ type: "phone" }] }, { pinned_list: ["HK"], allowlist: ["HK", "SG"] });
    assert.deepEqual(norm(hk, "phone", "6123 4567"), ok("+85261234567", "6123 4567"));
    assert.deepEqual(norm(hk, "phone", "+44 20 7946 0958"), refused("phone_region"));
  });
});

describe("the one sign-in field", () => {
  const c = config({ keys: [{ type: "email" }, { type: "phone" }, { type: "username" }] });
  it("tries the keys the input may belong to", () => {
    assert.deepEqual(candidateKeys(c, "a@b.example").map((k) => k.key), ["email"]);
    assert.deepEqual(candidateKeys(c, "+852 6123 4567").map((k) => k.key), ["phone", "username"]);
    assert.deepEqual(candidateKeys(c, "mary").map((k) => k.key), ["username"]);
    assert.deepEqual(candidateKeys(config(), "mary"), []);
  });
});
