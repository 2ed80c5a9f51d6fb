// Refresh load as real clients make it: each keeps the latest refresh token it was given, and on
// any failure other than invalid_grant (network error, 5xx, 429) retries with the token it has,
// because it never saw a newer one. A client whose token is refused (invalid_grant) lost its grant.
import { createHash, randomBytes } from "node:crypto";
import { UserAgent } from "../test/support/user-agent.ts";

export interface LoadClient {
  name: string;
  clientId: string;
  token: string;
  lost: string | null;
  ok: number;
  failures: number;
  statuses: Map<string, number>;
  /** performance.now() of the last 200. */
  lastOk: number;
}

export const REDIRECT_URI = "http://127.0.0.1:9/callback";

/** Signs in through the login page and exchanges the code: a fresh grant and its refresh token. */
export async function newGrant(base: string, clientId: string, email: string, password: string): Promise<string> {
  const verifier = randomBytes(32).toString("base64url");
  const url = new URL(`${base}/oauth2/authorize`);
  url.search = new URLSearchParams({
    client_id: clientId, redirect_uri: REDIRECT_URI, response_type: "code", scope: "openid offline_access",
    code_challenge: createHash("sha256").update(verifier).digest("base64url"), code_challenge_method: "S256",
  }).toString();
  const callback = new URL(await new UserAgent().signIn(url.toString(), base, email, password));
  const code = callback.searchParams.get("code");
  if (!code) throw new Error(`no code: ${callback}`);
  const res = await fetch(`${base}/oauth2/token`, {
    method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, client_id: clientId, code_verifier: verifier }),
  });
  const body = (await res.json()) as { refresh_token?: string };
  if (!body.refresh_token) throw new Error(`no refresh token: ${res.status} ${JSON.stringify(body)}`);
  return body.refresh_token;
}

export interface Attempt {
  status: number | "network";
  error?: string;
  ms: number;
  at: number;
}

async function refresh(base: string, c: LoadClient): Promise<{ attempt: Attempt; token?: string }> {
  const at = performance.now();
  try {
    const res = await fetch(`${base}/oauth2/token`, {
      method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: c.token, client_id: c.clientId }),
      // Far above every server-side bound: a request that takes this long is a hang, and is reported.
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    const body = (text.startsWith("{") ? JSON.parse(text) : {}) as { refresh_token?: string; error?: string };
    return { attempt: { status: res.status, error: body.error, ms: performance.now() - at, at }, token: body.refresh_token };
  } catch (err) {
    return { attempt: { status: "network", error: (err as Error).name, ms: performance.now() - at, at } };
  }
}

/** One refresh with the client's rules; returns the attempt. Marks the client lost on invalid_grant. */
export async function step(base: string, c: LoadClient): Promise<Attempt> {
  const { attempt, token } = await refresh(base, c);
  const key = attempt.status === 200 ? "200" : `${attempt.status}${attempt.error ? ` ${attempt.error}` : ""}`;
  c.statuses.set(key, (c.statuses.get(key) ?? 0) + 1);
  if (attempt.status === 200) {
    c.ok++;
    c.lastOk = performance.now();
    if (token) c.token = token;
  } else if (attempt.status === 400 && attempt.error === "invalid_grant") {
    c.lost = `invalid_grant after ${c.ok} refreshes`;
  } else {
    c.failures++;
  }
  return attempt;
}

export interface LoadRun {
  attempts: Attempt[];
  stop(): Promise<void>;
}

/** Runs every client in its own loop until stop(), at most `maxMs` and `maxPerClient` requests each. */
export function runLoad(base: () => string, clients: LoadClient[], options: { maxMs: number; maxPerClient: number; pauseMs?: number }): LoadRun {
  const attempts: Attempt[] = [];
  let stopping = false;
  const deadline = performance.now() + options.maxMs;
  const loops = clients.map(async (c) => {
    for (let i = 0; i < options.maxPerClient && !stopping && !c.lost && performance.now() < deadline; i++) {
      const a = await step(base(), c);
      attempts.push(a);
      if (a.status !== 200) await new Promise((r) => setTimeout(r, 50));
      else if (options.pauseMs) await new Promise((r) => setTimeout(r, options.pauseMs));
    }
  });
  return {
    attempts,
    async stop() {
      stopping = true;
      await Promise.all(loops);
    },
  };
}

/**
 * After the faults: every client that still holds a grant must be able to refresh with the last
 * token it saw (retrying on errors for up to `withinMs`). Returns how many grants were lost.
 */
export async function finalCheck(base: string, clients: LoadClient[], withinMs = 15_000): Promise<number> {
  await Promise.all(clients.map(async (c) => {
    const deadline = performance.now() + withinMs;
    for (let i = 0; i < 100 && !c.lost && performance.now() < deadline; i++) {
      const a = await step(base, c);
      if (a.status === 200) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    c.lost ??= "no successful refresh in the final check";
  }));
  return clients.filter((c) => c.lost).length;
}

export function newClient(name: string, clientId: string, token: string): LoadClient {
  return { name, clientId, token, lost: null, ok: 0, failures: 0, statuses: new Map(), lastOk: performance.now() };
}

export function statusSummary(clients: LoadClient[]): string {
  const total = new Map<string, number>();
  for (const c of clients) for (const [k, v] of c.statuses) total.set(k, (total.get(k) ?? 0) + v);
  return [...total].sort().map(([k, v]) => `${k}: ${v}`).join(", ");
}
