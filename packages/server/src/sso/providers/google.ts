// Google: OpenID Connect at accounts.google.com (https://developers.google.com/identity/openid-connect/openid-connect).
import { oidcKind } from "./oidc.ts";

export const GOOGLE_DISCOVERY = "https://accounts.google.com/.well-known/openid-configuration";

export const google = oidcKind({
  label: "Google",
  discoveryUrl: () => GOOGLE_DISCOVERY,
  // Google's ID tokens carry either form of its issuer (its OpenID Connect guide, "Validating an ID token").
  issuer: (iss) => iss === "https://accounts.google.com" || iss === "accounts.google.com",
  // Lets the user pick among several Google accounts instead of reusing the one signed in.
  extraParams: { prompt: "select_account" },
});
