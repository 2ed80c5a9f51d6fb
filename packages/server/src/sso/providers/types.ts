// What every provider type implements: where to send the browser, and how to turn the code that
// comes back into a verified profile. One file per type next to this one; registry in index.ts.
import type { Context } from "../../context.ts";
import type { OAuthProviderConfig } from "../../config/oauth-providers.ts";
import { UpstreamError } from "../http.ts";

/** The per-attempt values the upstream request carries (state and nonce are single-use, PKCE per RFC 7636). */
export interface UpstreamAttempt {
  state: string;
  nonce: string;
  /** RFC 7636 S256 challenge of the verifier kept server-side. */
  codeChallenge: string;
  redirectUri: string;
}

export interface CodeExchange {
  code: string;
  redirectUri: string;
  nonce: string;
  codeVerifier: string;
  /** Other callback parameters (Apple posts `user` with the name on the first sign-in). */
  callback: Record<string, string>;
}

/** Who the provider says signed in, normalised to OpenID standard claims. */
export interface UpstreamProfile {
  /** The provider's stable id for the user (Azure: `oid`; GitHub and Facebook: `id`; others: `sub`). */
  subject: string;
  email: string | null;
  emailVerified: boolean;
  /** Standard claims (name, given_name, family_name, picture, email, email_verified, …) for the identity. */
  claims: Record<string, unknown>;
}

export interface ProviderKind {
  /** The button's label when the config gives no `name`. */
  readonly label: string;
  /** Apple answers with a POST (response_mode=form_post). */
  readonly formPost: boolean;
  authorizationUrl(ctx: Context, p: OAuthProviderConfig, a: UpstreamAttempt): Promise<string>;
  profile(ctx: Context, p: OAuthProviderConfig, x: CodeExchange): Promise<UpstreamProfile>;
}

/** An authorization URL: the endpoint with the parameters set (RFC 6749 §4.1.1). */
export function withParams(endpoint: string, params: Record<string, string | undefined>): string {
  const url = new URL(endpoint);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}

const MAX_SUBJECT = 255;
const MAX_CLAIM = 2048;

const STANDARD_CLAIMS = [
  "email", "email_verified", "name", "given_name", "family_name", "middle_name", "nickname", "preferred_username",
  "profile", "picture", "website", "gender", "birthdate", "zoneinfo", "locale", "phone_number", "phone_number_verified",
] as const;

/**
 * The standard claims of a provider's answer, and what its email is worth: verified when the provider
 * says so, or when it says nothing and `claims.email.assume_verified` is on (Authgear's default).
 */
export function toProfile(p: OAuthProviderConfig, subject: string, source: Record<string, unknown>): UpstreamProfile {
  // What is stored per identity stays small whatever the provider sends (its answer may be up to 1 MiB).
  if (subject.length > MAX_SUBJECT) throw new UpstreamError("invalid_response", `the user id is ${subject.length} characters long`);
  const claims: Record<string, unknown> = {};
  for (const key of STANDARD_CLAIMS) {
    const v = source[key];
    if (v === undefined || v === null || v === "") continue;
    if (typeof v === "string" ? v.length <= MAX_CLAIM : typeof v === "boolean" || typeof v === "number") claims[key] = v;
  }
  const email = typeof claims.email === "string" ? claims.email.trim() : null;
  const said = claims.email_verified;
  const emailVerified = email !== null && (said === true || said === "true" || (said === undefined && p.claims.email.assume_verified));
  if (email !== null) claims.email_verified = emailVerified;
  return { subject, email, emailVerified, claims };
}
