// The 401 a protected resource answers (RFC 6750 §3): WWW-Authenticate plus a JSON body.

export interface Challenge {
  status: 401;
  headers: Record<string, string>;
  body: string;
}

/**
 * RFC 6750 §3.1: a request without any credential gets a bare `Bearer` challenge (no error code);
 * a bad token gets `error="invalid_token"`. The JSON body always says what happened.
 */
export function bearerChallenge(reason: "missing" | "invalid", description: string): Challenge {
  const www = reason === "missing" ? 'Bearer realm="gatehouse"' : `Bearer realm="gatehouse", error="invalid_token", error_description="${description.replace(/["\\]/g, "")}"`;
  return {
    status: 401,
    headers: { "www-authenticate": www, "content-type": "application/json", "cache-control": "no-store" },
    body: JSON.stringify({ error: "invalid_token", error_description: description }),
  };
}
