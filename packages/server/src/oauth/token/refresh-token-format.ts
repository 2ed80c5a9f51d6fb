// Refresh tokens are `<grant id>.<secret>`: the id finds the row, only the secret's hash is stored.
import { randomToken, sha256 } from "../../crypto/secrets.ts";

export function newRefreshToken(grantId: string): { token: string; hash: string } {
  const secret = randomToken();
  return { token: `${grantId}.${secret}`, hash: sha256(secret) };
}

export function parseRefreshToken(token: string): { grantId: string; secret: string } | null {
  const m = /^([0-9a-f]{32})\.([A-Za-z0-9_-]{43})$/.exec(token);
  return m ? { grantId: m[1], secret: m[2] } : null;
}
