// Shared setup for the SDK tests: the real Gatehouse server (free port, temp SQLite) via the
// server's own fixture, plus helpers to get real tokens and run small apps on free ports.
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { setup, loginWithPkce, exchange, postToken, EMAIL, PASSWORD, SPA_CLIENT, CONFIDENTIAL_CLIENT, type Fixture } from "../../server/test/oauth/fixture.ts";

export { setup, loginWithPkce, exchange, postToken, EMAIL, PASSWORD, SPA_CLIENT, CONFIDENTIAL_CLIENT, type Fixture };
export { startTestServer, freePort, type TestServer } from "../../server/test/support/server.ts";
export { UserAgent } from "../../server/test/support/user-agent.ts";

export interface Tokens {
  access_token: string;
  refresh_token: string;
  id_token: string;
}

/** Signs in through the real login page with the SPA client and exchanges the code. */
export async function signInTokens(f: Fixture): Promise<Tokens> {
  const t = await exchange(f, await loginWithPkce(f));
  return { access_token: t.access_token, refresh_token: t.refresh_token!, id_token: t.id_token! };
}

/** A fresh access token for the grant, minted with the server clock moved by `shiftSeconds`. */
export async function refreshedAt(f: Fixture, refreshToken: string, shiftSeconds: number): Promise<string> {
  f.server.advance(shiftSeconds);
  try {
    const r = await postToken(f, { grant_type: "refresh_token", refresh_token: refreshToken, client_id: SPA_CLIENT.client_id });
    if (r.status !== 200) throw new Error(`refresh failed: ${JSON.stringify(r.body)}`);
    return r.body.access_token as string;
  } finally {
    f.server.advance(-shiftSeconds);
  }
}

export async function revokeRefreshToken(f: Fixture, refreshToken: string): Promise<void> {
  const res = await fetch(`${f.server.url}/oauth2/revoke`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ token: refreshToken }) });
  if (res.status !== 200) throw new Error(`revoke: ${res.status}`);
}

/** Listens on a free port on 127.0.0.1 and returns the base URL. */
export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
