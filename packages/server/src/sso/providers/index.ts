// The provider types by their config name, and the configured providers by alias.
import type { Config } from "../../config/schema.ts";
import type { OAuthProviderConfig, ProviderType } from "../../config/oauth-providers.ts";
import { apple } from "./apple.ts";
import { azureadv2 } from "./azureadv2.ts";
import { facebook } from "./facebook.ts";
import { github } from "./github.ts";
import { google } from "./google.ts";
import { linkedin } from "./linkedin.ts";
import { oidc } from "./oidc.ts";
import type { ProviderKind } from "./types.ts";

export const PROVIDER_KINDS: Record<ProviderType, ProviderKind> = { oidc, google, apple, azureadv2, github, facebook, linkedin };

/** The configured provider with this alias, or null (an unknown alias in a URL is just "not found"). */
export function providerByAlias(config: Config, alias: unknown): OAuthProviderConfig | null {
  if (typeof alias !== "string") return null;
  return config.identity.oauth.providers.find((p) => p.alias === alias) ?? null;
}

/** The label users see: the config's `name`, else the type's name. */
export const providerLabel = (p: OAuthProviderConfig): string => p.name ?? PROVIDER_KINDS[p.type].label;
