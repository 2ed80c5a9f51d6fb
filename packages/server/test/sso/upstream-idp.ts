// A real OpenID provider for the social sign-in tests: panva's oidc-provider on a free port, with
// its development login and consent pages (any login name signs in as that account; "[ Cancel ]"
// aborts with access_denied). Account `<name>` has the email `<name>@corp.example`, verified.
import { createServer, type Server } from "node:http";
import Provider from "oidc-provider";
import { freePort } from "../support/server.ts";

export interface UpstreamIdp {
  issuer: string;
  discovery: string;
  clientId: string;
  clientSecret: string;
  close(): Promise<void>;
}

export async function startUpstreamIdp(o: { redirectUris: string[]; clientId?: string; clientSecret?: string }): Promise<UpstreamIdp> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = o.clientId ?? "gatehouse-at-corp";
  const clientSecret = o.clientSecret ?? "corp-client-secret-0123456789abcdef";
  const provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: o.redirectUris, response_types: ["code"], grant_types: ["authorization_code"] }],
    async findAccount(_ctx: unknown, sub: string) {
      return { accountId: sub, async claims() { return { sub, email: `${sub}@corp.example`, email_verified: true, name: `${sub} at Corp` }; } };
    },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    cookies: { keys: ["upstream-idp-cookie-key-0123456789"] },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
  });
  // Its own warnings (development keys, development interactions) are expected here.
  provider.on("server_error", (_ctx: unknown, err: Error) => console.error("upstream idp:", err));
  const server: Server = createServer(provider.callback());
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    issuer, clientId, clientSecret, discovery: `${issuer}/.well-known/openid-configuration`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
