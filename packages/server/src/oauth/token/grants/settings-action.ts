// urn:authgear:params:oauth:grant-type:settings-action (Authgear's IssueTokensForSettingsActionCode):
// the app redeems the code its settings action page sent back, with the same client, redirect_uri
// and PKCE verifier as the request that started it, and gets 200 `{}` — the SDK's signal that the
// action is done. The code works once; every check is a read before the code is spent, so a
// request without the verifier cannot burn the rightful app's code.
import { createHash } from "node:crypto";
import { safeEqual, sha256 } from "../../../crypto/secrets.ts";
import { SETTINGS_ACTION_GRANT_TYPE } from "../../../settings-surface/names.ts";
import { OAuthError, invalidGrant } from "../../errors.ts";
import { authenticateClient } from "../client-auth.ts";
import type { GrantHandler } from "../types.ts";

const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;
const CODE = /^[A-Za-z0-9_-]{43}$/;

export const settingsActionGrant: GrantHandler = {
  grantType: SETTINGS_ACTION_GRANT_TYPE,
  async handle(ctx, request) {
    const client = authenticateClient(ctx, request);
    const p = request.params;
    if (!p.code) throw new OAuthError("invalid_request", "code is required");
    if (client.isPublic && !p.code_verifier) throw new OAuthError("invalid_request", "PKCE code verifier is required");
    const now = ctx.now();
    // Authgear's one answer for every dead code: invalid_grant "invalid authorization code".
    const row = CODE.test(p.code) ? await ctx.storage.settingsActions.getByCode(sha256(p.code)) : null;
    if (!row || row.usedAt !== null || row.codeExpiresAt === null || row.codeExpiresAt <= now) throw invalidGrant("invalid authorization code");
    if (row.clientId !== client.client_id) throw invalidGrant("invalid authorization code");
    if (p.redirect_uri !== row.redirectUri) throw new OAuthError("invalid_request", "invalid redirect URI");
    if (row.codeChallenge !== null || p.code_verifier !== undefined) {
      const verifier = p.code_verifier ?? "";
      const challenge = createHash("sha256").update(verifier).digest("base64url");
      if (!VERIFIER.test(verifier) || row.codeChallenge === null || !safeEqual(challenge, row.codeChallenge)) throw invalidGrant("invalid authorization code");
    }
    // Two requests passing the checks at once: the atomic update lets one through.
    if (!(await ctx.storage.settingsActions.redeem(row.codeHash!, now))) throw invalidGrant("invalid authorization code");
    return {};
  },
};
