// Facebook Login: plain OAuth 2.0 against the Graph API ("Manually Build a Login Flow",
// https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow). The profile is
// GET /me with the fields Authgear reads, and appsecret_proof (HMAC-SHA256 of the access token keyed
// with the app secret), which apps that turn on "Require App Secret" must send.
// https://developers.facebook.com/docs/graph-api/securing-requests#appsecret_proof
import { createHmac } from "node:crypto";
import { UpstreamError, upstreamJson } from "../http.ts";
import { exchangeCode, secretOf } from "./oidc-common.ts";
import { toProfile, withParams, type ProviderKind } from "./types.ts";

export const FACEBOOK_GRAPH_VERSION = "v21.0";
const AUTHORIZE = `https://www.facebook.com/${FACEBOOK_GRAPH_VERSION}/dialog/oauth`;
const TOKEN = `https://graph.facebook.com/${FACEBOOK_GRAPH_VERSION}/oauth/access_token`;
const ME = `https://graph.facebook.com/${FACEBOOK_GRAPH_VERSION}/me`;
const FIELDS = "id,email,first_name,last_name,middle_name,name,name_format,picture,short_name";

export const facebook: ProviderKind = {
  label: "Facebook",
  formPost: false,
  async authorizationUrl(_ctx, p, a) {
    return withParams(AUTHORIZE, { response_type: "code", client_id: p.client_id, redirect_uri: a.redirectUri, scope: "email public_profile", state: a.state });
  },
  async profile(ctx, p, x) {
    const tokens = await exchangeCode(ctx, TOKEN, { code: x.code, redirectUri: x.redirectUri, clientId: p.client_id, clientSecret: secretOf(p), auth: "post" });
    const proof = createHmac("sha256", secretOf(p)).update(tokens.access_token).digest("hex");
    const url = withParams(ME, { fields: FIELDS, appsecret_proof: proof });
    const me = await upstreamJson(ctx, url, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    if (typeof me.id !== "string" || me.id === "") throw new UpstreamError("invalid_response", "Facebook /me has no id");
    const picture = (me.picture as { data?: { url?: unknown } } | undefined)?.data?.url;
    return toProfile(p, me.id, {
      email: me.email, name: me.name, given_name: me.first_name, family_name: me.last_name, middle_name: me.middle_name,
      nickname: me.short_name, picture: typeof picture === "string" ? picture : undefined,
    });
  },
};
