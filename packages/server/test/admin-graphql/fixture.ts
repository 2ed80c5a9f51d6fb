// A server with an app ID and an admin-API key set, and a plain GraphQL client: `fetch` with a
// bearer JWT signed the way Authgear's docs show a backend signing one (RS256, kid, aud, iat, exp).
import { exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import type { TestServer } from "../support/server.ts";
import { setup, type Fixture } from "../oauth/fixture.ts";

export const APP_ID = "myapp";
export const KID = "admin-key-1";

export interface AdminKeyPair { privateKey: CryptoKey; publicJwk: JWK; privateJwk: JWK }

export async function adminKeyPair(kid = KID): Promise<AdminKeyPair> {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  return {
    privateKey: privateKey as CryptoKey,
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" },
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: "RS256", use: "sig" },
  };
}

/** As Authgear's docs sign it: header {alg: RS256, typ: JWT, kid}, payload {aud, iat, exp: iat + 5 min}. */
export async function adminJwt(key: CryptoKey, o: { kid?: string | null; aud?: string | string[]; iat?: number; exp?: number | null; alg?: string } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const header: Record<string, unknown> = { alg: o.alg ?? "RS256", typ: "JWT" };
  if (o.kid !== null) header.kid = o.kid ?? KID;
  const jwt = new SignJWT({}).setProtectedHeader(header as { alg: string }).setAudience(o.aud ?? APP_ID).setIssuedAt(o.iat ?? now);
  if (o.exp !== null) jwt.setExpirationTime(o.exp ?? now + 300);
  return jwt.sign(key);
}

export interface GraphqlFixture {
  server: TestServer;
  /** The OAuth fixture (a user, the SPA client): real sign-ins make real sessions to list and revoke. */
  oauth: Fixture;
  keys: AdminKeyPair;
  /** POST a query; `auth` overrides the Authorization header ("" sends none). */
  gql(query: string, variables?: Record<string, unknown>, auth?: string): Promise<{ status: number; body: any; text: string }>;
  close(): Promise<void>;
}

export async function graphqlServer(o: { databaseUrl?: string; config?: Record<string, unknown> } = {}): Promise<GraphqlFixture> {
  const keys = await adminKeyPair();
  const oauth = await setup({
    databaseUrl: o.databaseUrl,
    config: { id: APP_ID, admin_api: { public_keys: [keys.publicJwk] }, ...o.config },
  });
  const server = oauth.server;
  const gql: GraphqlFixture["gql"] = async (query, variables, auth) => {
    const authorization = auth ?? `Bearer ${await adminJwt(keys.privateKey)}`;
    const res = await fetch(`${server.url}/_api/admin/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const text = await res.text();
    let body: unknown = null;
    try { body = JSON.parse(text); } catch { /* a plain-text answer (403 Forbidden) */ }
    return { status: res.status, body, text };
  };
  return { server, oauth, keys, gql, close: () => server.close() };
}

/** Authgear's global ID of a user: base64url("User:<id>"), no padding. */
export const userNodeId = (id: string): string => Buffer.from(`User:${id}`).toString("base64url");
