// Gatehouse (like Authgear) serves its endpoints at fixed paths under the issuer, which is the
// public origin without a trailing slash.

export function normalizeIssuer(issuer: string): string {
  return issuer.replace(/\/+$/, "");
}

export function endpoint(issuer: string, path: `/${string}`): string {
  return `${normalizeIssuer(issuer)}${path}`;
}
