// Signs in once over real HTTP, like a browser would: /oauth2/authorize → login page → form post →
// redirect with a code → /oauth2/token. Returns the IdP session cookie and the tokens.
import { createHash, randomBytes } from "node:crypto";

export const pkce = () => {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
};

export function authorizeUrl(server, challenge, scope = "openid offline_access email") {
  const q = new URLSearchParams({
    response_type: "code", client_id: server.clientId, redirect_uri: server.redirectUri, scope,
    code_challenge: challenge, code_challenge_method: "S256", state: randomBytes(8).toString("hex"),
  });
  return `${server.url}/oauth2/authorize?${q}`;
}

export async function signIn(server) {
  const jar = new Map();
  const request = async (url, init = {}) => {
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
    const res = await fetch(url, { ...init, redirect: "manual", headers: { ...init.headers, ...(cookie && { cookie }) } });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair.indexOf("=");
      jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    return res;
  };
  // Follows redirects within the server; stops at the app's redirect URI or at a page.
  const follow = async (url, init) => {
    let res = await request(url, init);
    while (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get("location"), url).toString();
      if (url.startsWith(server.redirectUri)) return { url, res };
      res = await request(url);
    }
    return { url, res };
  };

  const { verifier, challenge } = pkce();
  const page = await follow(authorizeUrl(server, challenge));
  const html = await page.res.text();
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`no login form at ${page.url} (${page.res.status})`);
  const form = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form[m[1]] = m[2].replace(/&amp;/g, "&");
  const done = await follow(new URL(action, page.url).toString(), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: server.url },
    body: new URLSearchParams({ ...form, email: server.email, password: server.password }),
  });
  const code = done.url.startsWith(server.redirectUri) && new URL(done.url).searchParams.get("code");
  if (!code) throw new Error(`login did not complete: ${done.res.status} ${done.url}`);

  const res = await fetch(`${server.url}/oauth2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: server.redirectUri, client_id: server.clientId, code_verifier: verifier }),
  });
  const tokens = await res.json();
  if (res.status !== 200 || !tokens.refresh_token) throw new Error(`code exchange failed: ${res.status} ${JSON.stringify(tokens)}`);
  if (!jar.has("session")) throw new Error("no IdP session cookie after login");
  return { sessionCookie: `session=${jar.get("session")}`, accessToken: tokens.access_token, refreshToken: tokens.refresh_token };
}
