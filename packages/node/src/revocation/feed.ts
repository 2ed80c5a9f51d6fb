// Follows Gatehouse's revocation feed (/_api/revocations, then the SSE stream) so that locally
// verified access tokens of a revoked session or a disabled user are refused within about a second
// — closing the gap the seed document warns about. The feed publishes SHA-256 hashes of `sid`/`sub`;
// we hash the token's claims and look them up. If the feed is unreachable we say so in the logs and
// keep working on signatures alone.
import { createHash } from "node:crypto";
import { endpoint, normalizeIssuer } from "../issuer.ts";
import { parseSse } from "./sse.ts";

export interface FeedEvent {
  seq: number;
  claim: "sid" | "sub";
  hash: string;
  revoked_at: number;
  expires_at: number;
}

export interface RevocationFeedOptions {
  issuer: string;
  logger?: { warn(message: string): void; info?(message: string): void };
  fetch?: typeof fetch;
  /** Delay before reconnecting after an error; doubles up to 30 s. Default 500 ms. */
  retryMs?: number;
  now?: () => number;
}

export interface RevocationFeed {
  /** True if a token with these claims was issued before its session or user was revoked. */
  isRevoked(claims: { sid: string | null; sub: string; iat: number }): boolean;
  /** Resolves once the current list has been loaded (or the first attempt failed). */
  ready: Promise<void>;
  readonly connected: boolean;
  close(): void;
}

const sha = (value: string): string => createHash("sha256").update(value).digest("base64url");

export function startRevocationFeed(options: RevocationFeedOptions): RevocationFeed {
  const issuer = normalizeIssuer(options.issuer);
  const doFetch = options.fetch ?? fetch;
  const log = options.logger ?? { warn: (m: string) => console.warn(m) };
  const nowS = (): number => Math.floor((options.now?.() ?? Date.now()) / 1000);
  const revoked = new Map<string, { revokedAt: number; expiresAt: number }>();
  let cursor = 0;
  let connected = false;
  let closed = false;
  let failing = false;
  const abort = new AbortController();

  const add = (e: FeedEvent): void => {
    revoked.set(`${e.claim}:${e.hash}`, { revokedAt: e.revoked_at, expiresAt: e.expires_at });
    cursor = Math.max(cursor, e.seq);
  };
  const sweep = (): void => {
    const now = nowS();
    for (const [k, v] of revoked) if (v.expiresAt <= now) revoked.delete(k);
  };

  async function catchUp(): Promise<void> {
    for (;;) {
      const res = await doFetch(endpoint(issuer, `/_api/revocations?after=${cursor}&limit=1000`), { signal: abort.signal });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const page = (await res.json()) as { events: FeedEvent[]; cursor: number };
      page.events.forEach(add);
      cursor = Math.max(cursor, page.cursor);
      if (page.events.length < 1000) return;
    }
  }

  async function follow(): Promise<void> {
    const res = await doFetch(endpoint(issuer, `/_api/revocations/stream?after=${cursor}`), { signal: abort.signal, headers: { accept: "text/event-stream" } });
    if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
    connected = true;
    if (failing) log.warn(`gatehouse: revocation feed reconnected to ${issuer}`);
    failing = false;
    for await (const message of parseSse(res.body)) {
      if (message.event === "revocation") add(JSON.parse(message.data) as FeedEvent);
    }
    throw new Error("stream ended");
  }

  let firstAttempt: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => { firstAttempt = resolve; });

  (async () => {
    let delay = options.retryMs ?? 500;
    while (!closed) {
      try {
        await catchUp();
        firstAttempt();
        delay = options.retryMs ?? 500;
        await follow();
      } catch (err) {
        connected = false;
        firstAttempt();
        if (closed) return;
        if (!failing) log.warn(`gatehouse: revocation feed at ${issuer} is unreachable (${(err as Error).message}); verifying access tokens on signatures alone until it is back`);
        failing = true;
        await new Promise((r) => setTimeout(r, delay).unref());
        delay = Math.min(delay * 2, 30_000);
      }
    }
  })();
  const sweeper = setInterval(sweep, 60_000);
  sweeper.unref();

  return {
    isRevoked({ sid, sub, iat }) {
      const bySid = sid ? revoked.get(`sid:${sha(sid)}`) : undefined;
      const bySub = revoked.get(`sub:${sha(sub)}`);
      // Only tokens minted before the revocation: a re-enabled user's new tokens are fine.
      return (bySid !== undefined && iat <= bySid.revokedAt) || (bySub !== undefined && iat <= bySub.revokedAt);
    },
    ready,
    get connected() {
      return connected;
    },
    close() {
      closed = true;
      clearInterval(sweeper);
      abort.abort();
    },
  };
}
