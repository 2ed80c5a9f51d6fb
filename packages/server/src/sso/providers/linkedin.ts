// LinkedIn ("Sign In with LinkedIn using OpenID Connect"), used here as plain OAuth 2.0: the
// authorization code flow, then the profile from the userinfo endpoint with the access token
// (https://learn.microsoft.com/en-us/linkedin/consumer/integrations/self-serve/sign-in-with-linkedin-v2).
// The userinfo answer is authoritative for the token it was fetched with (OIDC Core §5.3), so the
// ID token is not needed; LinkedIn takes no nonce or PKCE for web apps.
import { UpstreamError, upstreamJson } from "../http.ts";
import { exchangeCode, secretOf } from "./oidc-common.ts";
import { toProfile, withParams, type ProviderKind } from "./types.ts";

const AUTHORIZE = "https://www.linkedin.com/oauth/v2/authorization";
const TOKEN = "https://www.linkedin.com/oauth/v2/accessToken";
const USERINFO = "https://api.linkedin.com/v2/userinfo";

export const linkedin: ProviderKind = {
  label: "LinkedIn",
  formPost: false,
  async authorizationUrl(_ctx, p, a) {
    return withParams(AUTHORIZE, { response_type: "code", client_id: p.client_id, redirect_uri: a.redirectUri, scope: "openid profile email", state: a.state });
  },
  async profile(ctx, p, x) {
    const tokens = await exchangeCode(ctx, TOKEN, { code: x.code, redirectUri: x.redirectUri, clientId: p.client_id, clientSecret: secretOf(p), auth: "post" });
    const info = await upstreamJson(ctx, USERINFO, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    if (typeof info.sub !== "string" || info.sub === "") throw new UpstreamError("invalid_response", "LinkedIn userinfo has no sub");
    return toProfile(p, info.sub, info);
  },
};
