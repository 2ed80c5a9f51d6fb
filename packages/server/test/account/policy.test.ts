// Password policy (Authgear's authentication.password_policy), rate limit buckets, form parsing.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseConfig } from "../../src/config/load.ts";
import { activeRules, passwordViolations } from "../../src/account/policy/password-policy.ts";
import { parseFormStrict, readForm } from "../../src/account/ui/form.ts";
import { normalizeRecoveryCode } from "../../src/account/mfa/recovery-codes.ts";
import { pickLocale, translator } from "../../src/account/messages/index.ts";
import { policyError, policyHelp } from "../../src/account/policy/describe.ts";

const policyOf = (p: Record<string, unknown>) => parseConfig({ authentication: { password_policy: p } }).authentication.password_policy;

describe("password policy", () => {
  it("defaults to 8 characters and none of the 10,000 most common passwords", () => {
    const p = policyOf({});
    assert.deepEqual(activeRules(p), ["min_length", "common"]);
    assert.deepEqual(passwordViolations("1234567", p), ["min_length"]);
    assert.deepEqual(passwordViolations("a1b2c3d4e5", p), []);
    assert.deepEqual(passwordViolations("😀😀😀😀😀😀😀😀", p), [], "length counts characters, not UTF-16 units");
  });

  it("refuses common passwords, whatever their case, and says why", () => {
    const p = policyOf({});
    for (const common of ["12345678", "password", "PassWord1", "qwertyuiop", "iloveyou1", "baseball"]) {
      assert.deepEqual(passwordViolations(common, p), ["common"], common);
    }
    assert.deepEqual(passwordViolations("vivid orbit canoe", p), []);
    assert.equal(policyError(translator(), ["common"], p), "Choose a stronger password: it must not be one of the 10,000 most common passwords.");
    assert.match(policyHelp(translator(), p, "h"), /not be one of the 10,000 most common passwords/);
    const off = policyOf({ x_exclude_common_passwords: false });
    assert.deepEqual(activeRules(off), ["min_length"]);
    assert.deepEqual(passwordViolations("12345678", off), [], "Authgear's default when turned off");
  });

  it("checks character classes, excluded keywords and the zxcvbn level", () => {
    const p = policyOf({ min_length: 10, uppercase_required: true, lowercase_required: true, digit_required: true, symbol_required: true, excluded_keywords: ["Gatehouse"] });
    assert.deepEqual(passwordViolations("short", p), ["min_length", "uppercase", "digit", "symbol"]);
    assert.deepEqual(passwordViolations("ALLUPPERCASE1!", p), ["lowercase"]);
    assert.deepEqual(passwordViolations("My-gatehouse-1", p), ["excluded_keywords"]);
    assert.deepEqual(passwordViolations("Straße-Öl-42x", p), []);
    const g = policyOf({ minimum_guessable_level: 3, x_exclude_common_passwords: false });
    assert.deepEqual(passwordViolations("password123", g), ["guessable"]);
    assert.deepEqual(passwordViolations("alice-alice-1", g, { email: "alice@example.com" }), ["guessable"], "the email is a hint to zxcvbn");
    assert.deepEqual(passwordViolations("vivid orbit canoe lantern", g), []);
  });

  it("refuses a config below NIST's 8-character floor or a level above 4", () => {
    assert.throws(() => policyOf({ min_length: 6 }), /password_policy\.min_length/);
    assert.throws(() => policyOf({ minimum_guessable_level: 5 }), /minimum_guessable_level/);
  });
});

describe("forms and small helpers", () => {
  it("parses urlencoded bodies strictly", () => {
    assert.deepEqual({ ...parseFormStrict("a=1&b=x+y&c=%E2%82%AC&c=2&d") }, { a: "1", b: "x y", c: ["€", "2"], d: "" });
    for (const bad of ["a=%ZZ", "a=%E2%82", "a=%FF", "a=\uFFFD"]) assert.throws(() => parseFormStrict(bad), /malformed/, bad);
  });

  it("reads only bounded strings without control characters", () => {
    assert.deepEqual(readForm({ a: "x" }, { a: 5, b: 5 }), { a: "x", b: "" });
    assert.equal(readForm({ a: "x".repeat(6) }, { a: 5 }), null);
    assert.equal(readForm({ a: ["x", "y"] }, { a: 5 }), null);
    assert.equal(readForm({ a: "x\u0000" }, { a: 5 }), null);
  });

  it("reads recovery codes the way people type them", () => {
    assert.equal(normalizeRecoveryCode(" abcde-fgh0o "), "ABCDEFGH00");
    assert.equal(normalizeRecoveryCode("il1"), "111");
  });

  it("looks messages up by key and picks a catalogue from Accept-Language", () => {
    assert.equal(pickLocale("fr-CH, fr;q=0.9, en;q=0.8"), "en");
    assert.equal(translator("en")("verify.intro", { email: "a@b.c" }), "We sent a 6-digit code to a@b.c. It expires in 5 minutes.");
  });
});
