// `user_profile` as Authgear's authgear.yaml has it (pkg/lib/config/user_profile.go): access control
// of the standard attributes, and the custom attributes with their types and access control.
import { z } from "zod";

export const LEVELS = ["hidden", "readonly", "readwrite"] as const;
export type Level = (typeof LEVELS)[number];
export interface AccessControl {
  end_user: Level;
  bearer: Level;
  portal_ui: Level;
}

export const STANDARD_POINTERS = [
  "/email", "/phone_number", "/preferred_username", "/family_name", "/given_name", "/picture", "/gender", "/birthdate", "/zoneinfo", "/locale",
  "/name", "/nickname", "/middle_name", "/profile", "/website", "/address",
] as const;
// Authgear's defaults: the first ten readwrite for the end user (bearer readonly), the rest hidden.
const DEFAULT_READWRITE = new Set(STANDARD_POINTERS.slice(0, 10));
export const READWRITE: AccessControl = { end_user: "readwrite", bearer: "readonly", portal_ui: "readwrite" };
export const HIDDEN: AccessControl = { end_user: "hidden", bearer: "hidden", portal_ui: "hidden" };
const CUSTOM_DEFAULT: AccessControl = { end_user: "hidden", bearer: "hidden", portal_ui: "readwrite" };

// The combinations Authgear allows: no party sees more than the portal, and the bearer never writes.
const ALLOWED = new Set([
  "hidden/hidden/hidden", "hidden/hidden/readonly", "hidden/hidden/readwrite", "hidden/readonly/readonly", "hidden/readonly/readwrite",
  "readonly/readonly/readonly", "readonly/readonly/readwrite", "readwrite/readonly/readwrite",
]);

const accessControl = (fallback: AccessControl) => z
  .object({ end_user: z.enum(LEVELS).optional(), bearer: z.enum(LEVELS).optional(), portal_ui: z.enum(LEVELS).optional() })
  .strict()
  .optional()
  .transform((a): AccessControl => ({ end_user: a?.end_user ?? fallback.end_user, bearer: a?.bearer ?? fallback.bearer, portal_ui: a?.portal_ui ?? fallback.portal_ui }))
  .refine((a) => ALLOWED.has(`${a.end_user}/${a.bearer}/${a.portal_ui}`), {
    message: `not a combination Authgear allows (end_user/bearer/portal_ui): one of ${[...ALLOWED].join(", ")}`,
  });

// Names a custom attribute may not take: JWT and standard claims (Authgear's list).
const RESERVED = new Set(["iss", "sub", "aud", "exp", "nbf", "iat", "jti", "email_verified", "phone_number_verified", "updated_at", ...STANDARD_POINTERS.map((p) => p.slice(1))]);

export const CUSTOM_TYPES = ["string", "number", "integer", "enum", "phone_number", "email", "url", "country_code"] as const;

const customAttribute = z
  .object({
    id: z.string().min(1).max(200).refine((id) => !["__proto__", "constructor", "prototype"].includes(id), "cannot be a JavaScript object key such as __proto__")
      .describe("Stable id the values are stored under (Authgear uses a UUID); keep it when renaming the pointer."),
    pointer: z.string().regex(/^\/[a-zA-Z0-9_]+$/, "must be / followed by letters, digits or _")
      .refine((p) => !RESERVED.has(p.slice(1)), "is a reserved claim name"),
    type: z.enum(CUSTOM_TYPES),
    minimum: z.number().optional().describe("number and integer only"),
    maximum: z.number().optional().describe("number and integer only"),
    enum: z.array(z.string().regex(/^[a-zA-Z0-9_]+$/, "enum values are letters, digits or _")).min(1).optional().describe("enum only: the allowed values"),
    access_control: accessControl(CUSTOM_DEFAULT),
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.type === "enum" && !a.enum) ctx.addIssue({ code: "custom", path: ["enum"], message: "required for type enum" });
    if (a.type === "enum" && a.enum && new Set(a.enum).size !== a.enum.length) ctx.addIssue({ code: "custom", path: ["enum"], message: "values must be unique" });
    if (a.type !== "number" && a.type !== "integer" && (a.minimum !== undefined || a.maximum !== undefined)) {
      ctx.addIssue({ code: "custom", path: ["minimum"], message: "only number and integer attributes have bounds" });
    }
    if (a.type === "integer" && [a.minimum, a.maximum].some((v) => v !== undefined && !Number.isInteger(v))) {
      ctx.addIssue({ code: "custom", path: ["minimum"], message: "bounds of an integer attribute are integers" });
    }
  });

export const userProfileSchema = z
  .object({
    standard_attributes: z
      .object({
        population: z.object({ strategy: z.enum(["none", "on_signup"]).default("on_signup") }).prefault({}),
        access_control: z.array(z.object({ pointer: z.enum(STANDARD_POINTERS), access_control: accessControl(HIDDEN) }).strict()).default([]),
      })
      .prefault({}),
    custom_attributes: z.object({ attributes: z.array(customAttribute).default([]) }).prefault({}),
  })
  .prefault({})
  .superRefine((p, ctx) => {
    const seen = new Set<string>();
    p.custom_attributes.attributes.forEach((a, i) => {
      for (const k of [`id:${a.id}`, `pointer:${a.pointer}`]) {
        if (seen.has(k)) ctx.addIssue({ code: "custom", path: ["custom_attributes", "attributes", i, k.split(":")[0]], message: "duplicate" });
        seen.add(k);
      }
    });
  })
  .transform((p) => ({
    ...p,
    standard_attributes: {
      ...p.standard_attributes,
      // Every standard attribute gets an entry: the configured one, else Authgear's default.
      access_control: STANDARD_POINTERS.map((pointer) => p.standard_attributes.access_control.find((a) => a.pointer === pointer)
        ?? { pointer, access_control: DEFAULT_READWRITE.has(pointer) ? READWRITE : HIDDEN }),
    },
  }));

export type UserProfileConfig = z.infer<typeof userProfileSchema>;
export type CustomAttributeConfig = UserProfileConfig["custom_attributes"]["attributes"][number];
