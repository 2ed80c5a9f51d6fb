// Which identities and authenticators are switched on, as Authgear's authgear.yaml names them
// (`authentication.identities`, `primary_authenticators`, `secondary_authenticators`,
// `secondary_authentication_mode`; pkg/lib/config/authentication.go). Defaults are Authgear's for
// the methods Gatehouse had before these fields existed: login IDs and social sign-in, a password,
// TOTP as the optional second factor. Each feature reads its own switch from here.
import { z } from "zod";

export const IDENTITY_TYPES = ["login_id", "oauth", "anonymous", "biometric", "passkey"] as const;
export const PRIMARY_AUTHENTICATORS = ["password", "passkey", "oob_otp_email", "oob_otp_sms"] as const;
export const SECONDARY_AUTHENTICATORS = ["totp", "oob_otp_email", "oob_otp_sms", "password"] as const;
export const SECONDARY_AUTHENTICATION_MODES = ["disabled", "if_exists", "required"] as const;

export type IdentityType = (typeof IDENTITY_TYPES)[number];
export type PrimaryAuthenticator = (typeof PRIMARY_AUTHENTICATORS)[number];
export type SecondaryAuthenticator = (typeof SECONDARY_AUTHENTICATORS)[number];
export type SecondaryAuthenticationMode = (typeof SECONDARY_AUTHENTICATION_MODES)[number];

const unique = <T>(list: readonly T[]) => new Set(list).size === list.length;

/** The four fields, spread into `authentication` beside the password policy and limits. */
export const authenticatorFields = {
  identities: z.array(z.enum(IDENTITY_TYPES)).refine(unique, "lists a type twice").default(["login_id", "oauth"])
    .describe("How users identify themselves: login_id, oauth, anonymous, biometric, passkey."),
  primary_authenticators: z.array(z.enum(PRIMARY_AUTHENTICATORS)).refine(unique, "lists an authenticator twice").default(["password"])
    .describe("The first factor, in the order the login page offers them: password, passkey, oob_otp_email, oob_otp_sms."),
  secondary_authenticators: z.array(z.enum(SECONDARY_AUTHENTICATORS)).refine(unique, "lists an authenticator twice").default(["totp"])
    .describe("Second factors users may set up: totp, oob_otp_email, oob_otp_sms, password."),
  secondary_authentication_mode: z.enum(SECONDARY_AUTHENTICATION_MODES).default("if_exists")
    .describe("disabled: never ask; if_exists: ask users who set one up; required: every user must have one."),
};
