// The attributes module and the user_profile config: Authgear's defaults and allowed access-control
// combinations, one error per attribute, each type's checks, and what a bearer may read per scope.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { userProfileSchema } from "../../src/config/user-profile.ts";
import { applyProfilePatch, errorInWords, profileClaims, readableProfile } from "../../src/attributes/profile.ts";
import type { User } from "../../src/domain/user.ts";

const user = (over: Partial<User> = {}): User => ({
  id: "u1", email: "ann@example.com", isVerified: true, isAnonymous: false, disabled: false, disabledReason: null, roles: [],
  standardAttributes: {}, customAttributes: {}, createdAt: 1, updatedAt: 2, ...over,
});
const problems = (input: unknown): string[] => {
  const r = userProfileSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

describe("user_profile config", () => {
  it("fills Authgear's defaults: ten standard attributes readwrite, six hidden; custom hidden but portal readwrite", () => {
    const p = userProfileSchema.parse({ custom_attributes: { attributes: [{ id: "x", pointer: "/tier", type: "string" }] } });
    const ac = Object.fromEntries(p.standard_attributes.access_control.map((a) => [a.pointer, a.access_control]));
    assert.deepEqual(ac["/given_name"], { end_user: "readwrite", bearer: "readonly", portal_ui: "readwrite" });
    assert.deepEqual(ac["/website"], { end_user: "hidden", bearer: "hidden", portal_ui: "hidden" });
    assert.equal(Object.keys(ac).length, 16);
    assert.deepEqual(p.custom_attributes.attributes[0].access_control, { end_user: "hidden", bearer: "hidden", portal_ui: "readwrite" });
  });

  it("refuses what Authgear refuses, naming the path", () => {
    assert.match(problems({ custom_attributes: { attributes: [{ id: "x", pointer: "/tier", type: "string", access_control: { end_user: "readwrite", bearer: "hidden", portal_ui: "readwrite" } }] } })[0], /access_control: not a combination Authgear allows/);
    assert.match(problems({ custom_attributes: { attributes: [{ id: "x", pointer: "/email", type: "string" }] } })[0], /pointer: is a reserved claim name/);
    assert.match(problems({ custom_attributes: { attributes: [{ id: "x", pointer: "/tier", type: "enum" }] } })[0], /enum: required for type enum/);
    assert.match(problems({ custom_attributes: { attributes: [{ id: "x", pointer: "/a", type: "string", minimum: 1 }] } })[0], /only number and integer/);
    assert.match(problems({ custom_attributes: { attributes: [{ id: "x", pointer: "/a", type: "string" }, { id: "x", pointer: "/b", type: "string" }] } })[0], /attributes\.1\.id: duplicate/);
    assert.match(problems({ standard_attributes: { access_control: [{ pointer: "/shoe", access_control: {} }] } })[0], /pointer/);
  });
});

describe("attributes", () => {
  const profile = userProfileSchema.parse({
    custom_attributes: {
      attributes: [
        { id: "c1", pointer: "/phone2", type: "phone_number", access_control: { end_user: "readwrite", bearer: "readonly", portal_ui: "readwrite" } },
        { id: "c2", pointer: "/home", type: "country_code" },
        { id: "c3", pointer: "/site", type: "url" },
        { id: "c4", pointer: "/ratio", type: "number", minimum: 0, maximum: 1 },
        { id: "c5", pointer: "/count", type: "integer" },
        { id: "c6", pointer: "/mail", type: "email" },
      ],
    },
  });

  it("checks every value by its type and reports each problem by attribute", () => {
    const r = applyProfilePatch(profile, user(), {
      standard_attributes: { birthdate: "2023-02-29", locale: "not a locale!", picture: "javascript:alert(1)", address: { city: "x" }, name: "x" },
      custom_attributes: { phone2: "12345", home: "XX", site: "ftp://x", ratio: 2, count: 1.5, mail: "nope" },
    }, "admin");
    assert.ok(!r.ok);
    assert.deepEqual(r.errors.map(errorInWords), [
      "birthdate: must be a real date, YYYY-MM-DD", "locale: must be a BCP 47 language tag, e.g. zh-HK", "picture: must be an absolute http(s) URL",
      'address: has an unknown field "city"',
      "phone2: must be a phone number in E.164 form, e.g. +85298765432", "home: must be an ISO 3166-1 alpha-2 country code, e.g. HK",
      "site: must be an absolute http(s) URL", "ratio: must be at most 1", "count: must be an integer", "mail: must be an email address",
    ]);
    const ok = applyProfilePatch(profile, user(), {
      standard_attributes: { birthdate: "0000-02-29", locale: "zh-HK", zoneinfo: "Asia/Hong_Kong", address: { locality: "Kowloon", country: "HK" } },
      custom_attributes: { phone2: "+85298765432", home: "HK", site: "https://example.com", ratio: 0.5, count: 3, mail: "a@example.com" },
    }, "admin");
    assert.ok(ok.ok);
    assert.deepEqual(ok.customAttributes, { c1: "+85298765432", c2: "HK", c3: "https://example.com", c4: 0.5, c5: 3, c6: "a@example.com" });
  });

  it("prototype keys name no attribute", () => {
    const patch = JSON.parse('{"standard_attributes": {"constructor": "x", "__proto__": {"polluted": 1}, "toString": "y"}, "custom_attributes": {"__proto__": 1}}');
    const r = applyProfilePatch(profile, user(), patch, "admin");
    assert.ok(!r.ok);
    assert.deepEqual(r.errors.map(errorInWords), ["constructor: not a standard attribute", "__proto__: not a standard attribute", "toString: not a standard attribute", "__proto__: not a custom attribute in user_profile.custom_attributes"]);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it("lets each party write only what its access control allows", () => {
    const r = applyProfilePatch(profile, user(), { standard_attributes: { name: "Ann", given_name: "Ann" }, custom_attributes: { home: "HK", phone2: "+85298765432" } }, "end_user");
    assert.ok(!r.ok);
    assert.deepEqual(r.errors.map(errorInWords), ["name: not editable here", "home: not editable here"]);
  });

  it("gives the bearer only readable claims that the scopes release, and custom_attributes by pointer", () => {
    const u = user({ standardAttributes: { given_name: "Ann", name: "Ann Lee", phone_number: "+85298765432" }, customAttributes: { c1: "+85290000000", c2: "HK" } });
    assert.deepEqual(profileClaims(profile, u, ["openid"]), { custom_attributes: { phone2: "+85290000000" } });
    assert.deepEqual(profileClaims(profile, u, ["openid", "profile", "phone"]), { given_name: "Ann", phone_number: "+85298765432", phone_number_verified: false, updated_at: 2, custom_attributes: { phone2: "+85290000000" } });
    assert.deepEqual(profileClaims(profile, u, "all"), {
      email: "ann@example.com", email_verified: true, given_name: "Ann", phone_number: "+85298765432", phone_number_verified: false, updated_at: 2,
      custom_attributes: { phone2: "+85290000000" },
    });
    assert.deepEqual(readableProfile(profile, u, "admin").custom_attributes, { phone2: "+85290000000", home: "HK" });
    assert.deepEqual(profileClaims(profile, user({ email: null }), "all").email, undefined, "no email, no email claims");
  });
});
