// Given a valid authorization request and whoever is signed in, decide: send the user to the
// login page, or answer the client (code, or just state for response_type=none).
import type { Context } from "../../context.ts";
import { randomToken, sha256 } from "../../crypto/secrets.ts";
import { createAuthFlow } from "./flow.ts";
import { bindAnonymousPromotion } from "../../device-keys/promotion.ts";
import { providerByAlias } from "../../sso/providers/index.ts";
import type { Caller } from "../../session/caller.ts";
import { OAuthError } from "../errors.ts";
import { errorRedirect, redirectWith } from "./redirect.ts";
import type { AuthorizationRequest } from "./request.ts";
import { SETTINGS_ACTION_RESPONSE_TYPE } from "../../settings-surface/names.ts";
import { beginSettingsAction } from "../../settings-surface/actions.ts";

export const AUTHORIZATION_CODE_LIFETIME_SECONDS = 300;

export type AuthorizeOutcome =
  | { kind: "redirect"; location: string }
  /** `provider`: Authgear's x_oauth_provider_alias named a configured provider: skip our page, go there. */
  | { kind: "login"; flowId: string; page: "login" | "signup"; provider: string | null };

export interface DecideOptions {
  /** When resuming after our login page: a login at or after this time satisfies prompt=login/max_age. */
  loggedInSince?: number;
  /** The client's IP: pending sign-ins are rate-limited per IP (oauth.rate_limits.authorize_per_ip). */
  ip?: string;
}

export async function decideAuthorization(ctx: Context, req: AuthorizationRequest, caller: Caller | null, options: DecideOptions = {}): Promise<AuthorizeOutcome> {
  const now = ctx.now();
  const freshLogin = caller !== null && options.loggedInSince !== undefined && caller.authenticatedAt >= options.loggedInSince;
  const tooOld = caller !== null && req.maxAge !== null && caller.authenticatedAt + req.maxAge <= now;
  const needsLogin = caller === null || (!freshLogin && (req.prompt.has("login") || tooOld));

  if (needsLogin) {
    if (req.prompt.has("none")) {
      const err = new OAuthError("login_required", "the user is not signed in");
      return { kind: "redirect", location: errorRedirect(req.redirectUri, err, req.state, ctx.issuer) };
    }
    const flowId = await createAuthFlow(ctx, req, { ip: options.ip });
    const provider = providerByAlias(ctx.config, req.extras.x_oauth_provider_alias)?.alias ?? null;
    // An anonymous user being promoted signs up: their new login IDs join the anonymous account.
    const promoting = await bindAnonymousPromotion(ctx, req.raw.login_hint, flowId);
    return { kind: "login", flowId, page: promoting || req.extras.x_page === "signup" ? "signup" : "login", provider };
  }

  // A settings action goes to its page first; the page sends the code (settings-surface/actions.ts).
  if (req.responseType === SETTINGS_ACTION_RESPONSE_TYPE) {
    return { kind: "redirect", location: await beginSettingsAction(ctx, req, caller.user.id) };
  }
  if (req.responseType === "none") {
    return { kind: "redirect", location: redirectWith(req.redirectUri, { state: req.state, iss: ctx.issuer }) };
  }
  const code = randomToken();
  await ctx.storage.codes.create({
    codeHash: sha256(code),
    clientId: req.client.client_id,
    userId: caller.user.id,
    idpSessionId: caller.session.id,
    redirectUri: req.redirectUri,
    scopes: req.scopes,
    nonce: req.nonce,
    codeChallenge: req.codeChallenge,
    codeChallengeMethod: req.codeChallengeMethod,
    authenticatedAt: caller.authenticatedAt,
    amr: caller.amr,
    createdAt: now,
    expiresAt: now + AUTHORIZATION_CODE_LIFETIME_SECONDS,
    usedAt: null,
    issuedGrantId: null,
    dpopJkt: req.dpopJkt,
  });
  return { kind: "redirect", location: redirectWith(req.redirectUri, { code, state: req.state, iss: ctx.issuer }) };
}
