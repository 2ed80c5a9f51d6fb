// `identity.login_id` and `ui.phone_input` as Authgear's authgear.yaml names them: which login IDs
// (email, phone, username) users sign up and sign in with, and how each type is checked and
// normalised. Only the subset Gatehouse implements is accepted; the names and defaults are Authgear's.
import { z } from "zod";
import { LOGIN_ID_TYPES, type LoginIdType } from "../domain/identity.ts";

// Authgear's defaults: 320 for email (RFC 3696 §3), 40 for phone and username.
const DEFAULT_MAX_LENGTH: Record<LoginIdType, number> = { email: 320, phone: 40, username: 40 };

const keySchema = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, "must be lowercase letters, digits and _").optional()
      .describe("The login ID's name (the form field); defaults to its type."),
    type: z.enum(LOGIN_ID_TYPES as [LoginIdType, ...LoginIdType[]]),
    max_length: z.number().int().min(1).max(320).optional(),
    modify_disabled: z.boolean().default(false).describe("Users cannot add, change or remove this login ID themselves."),
  })
  .transform((k) => ({ key: k.key ?? k.type, type: k.type, max_length: k.max_length ?? DEFAULT_MAX_LENGTH[k.type], modify_disabled: k.modify_disabled }));

export const loginIdSchema = z
  .object({
    keys: z.array(keySchema).min(1).default([{ key: "email", type: "email", max_length: 320, modify_disabled: false }])
      .describe("The login IDs users sign up and sign in with (Authgear's default: email only)."),
    types: z
      .object({
        email: z
          .object({
            case_sensitive: z.boolean().default(false).describe("Keep the local part's case (the domain is always lowercased)."),
            block_plus_sign: z.boolean().default(false).describe("Refuse addresses whose local part has a +."),
            ignore_dot_sign: z.boolean().default(false).describe("a.b@x and ab@x are the same login ID."),
          })
          .prefault({}),
        username: z
          .object({
            block_reserved_usernames: z.boolean().default(true).describe("Refuse names such as admin, root, support."),
            ascii_only: z.boolean().default(true).describe("Only a-z, 0-9, _, - and . (otherwise any letters, checked for confusables)."),
            case_sensitive: z.boolean().default(false),
          })
          .prefault({}),
      })
      .prefault({}),
  })
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.keys.forEach((k, i) => {
      if (seen.has(k.key)) ctx.addIssue({ code: "custom", path: ["keys", i, "key"], message: "duplicate login ID key" });
      seen.add(k.key);
    });
  })
  .prefault({});

/** ISO 3166-1 alpha-2 region codes, as Authgear's ui.phone_input lists take them. */
const region = z.string().regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 code such as HK or GB");

export const phoneInputSchema = z
  .object({
    allowlist: z.array(region).default([]).describe("Phone numbers from only these regions are accepted (empty: any)."),
    pinned_list: z.array(region).default([]).describe("Regions offered first; the first one is assumed for numbers typed without +."),
  })
  .prefault({});

export type LoginIdConfig = z.infer<typeof loginIdSchema>;
export type LoginIdKeyConfig = LoginIdConfig["keys"][number];
export type PhoneInputConfig = z.infer<typeof phoneInputSchema>;
