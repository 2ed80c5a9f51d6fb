// GitHub: plain OAuth 2.0 (no OpenID Connect). The user is GET /user; the email comes from
// GET /user/emails (the primary one, with GitHub's own verified flag), since /user shows only a
// public email, if any. https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps
import type { Context } from "../../context.ts";
import { UpstreamError, upstreamAny, upstreamJson } from "../http.ts";
import { exchangeCode, secretOf } from "./oidc-common.ts";
import { toProfile, withParams, type ProviderKind } from "./types.ts";

const AUTHORIZE = "https://github.com/login/oauth/authorize";
const TOKEN = "https://github.com/login/oauth/access_token";
const API = "https://api.github.com";

export const github: ProviderKind = {
  label: "GitHub",
  formPost: false,
  async authorizationUrl(_ctx, p, a) {
    // GitHub supports PKCE (S256) on OAuth apps; it has no nonce (no ID token).
    return withParams(AUTHORIZE, {
      client_id: p.client_id, redirect_uri: a.redirectUri, scope: "read:user user:email", state: a.state,
      code_challenge: a.codeChallenge, code_challenge_method: "S256",
    });
  },
  async profile(ctx, p, x) {
    const tokens = await exchangeCode(ctx, TOKEN, {
      code: x.code, redirectUri: x.redirectUri, clientId: p.client_id, clientSecret: secretOf(p), codeVerifier: x.codeVerifier, auth: "post",
    });
    const headers = { authorization: `Bearer ${tokens.access_token}`, accept: "application/vnd.github+json", "x-github-api-version": "2022-11-28" };
    const user = await upstreamJson(ctx, `${API}/user`, { headers });
    if (typeof user.id !== "number" && typeof user.id !== "string") throw new UpstreamError("invalid_response", "GitHub /user has no id");
    const list = await githubEmails(ctx, headers);
    const primary = list.find((e) => e.primary) ?? null;
    const login = typeof user.login === "string" ? user.login : undefined;
    return toProfile(p, String(user.id), {
      name: typeof user.name === "string" && user.name ? user.name : login, preferred_username: login,
      picture: user.avatar_url, profile: user.html_url,
      email: primary?.email ?? null, email_verified: primary ? primary.verified : undefined,
    });
  },
};

interface GitHubEmail { email: string; primary: boolean; verified: boolean }

/** The account's addresses; none when the token may not read them (the user then has no email here). */
async function githubEmails(ctx: Context, headers: Record<string, string>): Promise<GitHubEmail[]> {
  const body = await upstreamAny(ctx, `${API}/user/emails`, { headers }).catch(() => []);
  if (!Array.isArray(body)) return [];
  return body.filter((e): e is GitHubEmail => typeof e?.email === "string" && typeof e.primary === "boolean" && typeof e.verified === "boolean");
}
