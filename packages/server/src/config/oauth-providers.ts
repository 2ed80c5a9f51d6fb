// Social and enterprise sign-in providers (`identity.oauth.providers[]`) and what happens when a new
// social identity matches an existing account (`account_linking.oauth[]`), with Authgear's field
// names (authgear-server pkg/lib/oauthrelyingparty/*/provider.go and config/account_linking.go).
// The generic `oidc` type is Gatehouse's own: it is configured like Authgear's `adfs` entry.
import { z } from "zod";

export const providerTypes = ["oidc", "google", "apple", "azureadv2", "github", "facebook", "linkedin"] as const;
export type ProviderType = (typeof providerTypes)[number];

const httpsOrLocalUrl = z.string().refine((s) => {
  try {
    const u = new URL(s);
    // Plain http only for a provider on this machine (tests, development).
    return u.protocol === "https:" || (u.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(u.hostname));
  } catch {
    return false;
  }
}, "must be an https:// URL (http:// only for localhost)");

const providerSchema = z
  .object({
    alias: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "letters, digits, _ and - only (it is part of the callback URL)")
      .describe("Names the provider; the callback is /sso/oauth2/callback/<alias>."),
    type: z.enum(providerTypes),
    client_id: z.string().min(1).max(512),
    client_secret: z.string().min(1).optional()
      .describe("The client secret (Apple: the .p8 private key). Or from the secrets file (sso.oauth.client)."),
    name: z.string().max(100).optional().describe("The button's label; the type's name when unset."),
    discovery_document_endpoint: httpsOrLocalUrl.optional().describe("oidc: the issuer's /.well-known/openid-configuration."),
    key_id: z.string().min(1).optional().describe("apple: the Key ID of the Sign in with Apple private key."),
    team_id: z.string().min(1).optional().describe("apple: the Apple Developer Team ID."),
    tenant: z.string().regex(/^[A-Za-z0-9.-]{1,128}$/, "a tenant id, a domain, or common / organizations / consumers").optional()
      .describe("azureadv2: the directory (tenant) id, or common / organizations / consumers for multi-tenant apps."),
    claims: z
      .object({
        email: z
          .object({
            assume_verified: z.boolean().default(true).describe("Treat the email as verified when the provider does not say (an explicit email_verified: false still counts)."),
            required: z.boolean().default(true).describe("Refuse sign-in when the provider shares no email."),
          })
          .prefault({}),
      })
      .prefault({}),
  })
  .superRefine((p, ctx) => {
    const need = (field: "discovery_document_endpoint" | "key_id" | "team_id" | "tenant"): void => {
      if (!p[field]) ctx.addIssue({ code: "custom", path: [field], message: `required for type ${p.type}` });
    };
    if (p.type === "oidc") need("discovery_document_endpoint");
    if (p.type === "apple") { need("key_id"); need("team_id"); }
    if (p.type === "azureadv2") need("tenant");
    if (!p.client_secret) ctx.addIssue({ code: "custom", path: ["client_secret"], message: "required (here, or in the secrets file under sso.oauth.client)" });
  });

export type OAuthProviderConfig = z.infer<typeof providerSchema>;

const pointer = z.object({ pointer: z.enum(["/email", "/phone_number", "/preferred_username"]) });

export const accountLinkingActions = ["error", "login_and_link"] as const;
export type AccountLinkingAction = (typeof accountLinkingActions)[number];

const linkingItem = z.object({
  name: z.string().optional(),
  alias: z.string(),
  oauth_claim: pointer,
  user_profile: pointer,
  action: z.enum(accountLinkingActions),
});
export type AccountLinkingOAuthItem = z.infer<typeof linkingItem>;

/** Authgear's default for a provider with no `account_linking.oauth` entry: match by email, refuse. */
export const DEFAULT_ACCOUNT_LINKING: Omit<AccountLinkingOAuthItem, "alias"> = {
  oauth_claim: { pointer: "/email" }, user_profile: { pointer: "/email" }, action: "error",
};

/** `identity.oauth` (next to `identity.login_id`, config/identity.ts). */
export const oauthProvidersSchema = z.object({ providers: z.array(providerSchema).default([]) }).prefault({});

export const accountLinkingSchema = z
  .object({ oauth: z.array(linkingItem).default([]) })
  .prefault({})
  .describe("What a new social identity does when it matches an existing user: error (refuse) or login_and_link.");

/** Cross-field checks for the root schema: unique aliases, linking entries naming a provider. */
export function checkProviders(
  c: { identity: { oauth: { providers: OAuthProviderConfig[] } }; account_linking: { oauth: AccountLinkingOAuthItem[] } },
  ctx: z.RefinementCtx,
): void {
  const aliases = new Set<string>();
  c.identity.oauth.providers.forEach((p, i) => {
    if (aliases.has(p.alias)) ctx.addIssue({ code: "custom", path: ["identity", "oauth", "providers", i, "alias"], message: "duplicate alias" });
    aliases.add(p.alias);
  });
  c.account_linking.oauth.forEach((item, i) => {
    if (!aliases.has(item.alias)) ctx.addIssue({ code: "custom", path: ["account_linking", "oauth", i, "alias"], message: "no provider has this alias" });
  });
}
