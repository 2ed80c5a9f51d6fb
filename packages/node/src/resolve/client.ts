// A client for GET /_resolver/resolve: forwards the caller's credential, reads the x-authgear-*
// answer. Repeated answers for the same credential can be cached for a few seconds.
import { createHash } from "node:crypto";
import { endpoint as endpointUrl } from "../issuer.ts";
import { readCookie } from "../http/cookies.ts";
import { createTtlCache } from "./ttl-cache.ts";
import { ResolverError, sessionFromHeaders, type Session } from "./session.ts";

export interface ResolverClientOptions {
  /** The Gatehouse origin; the resolver is `${endpoint}/_resolver/resolve`. */
  endpoint: string;
  /**
   * How long an answer for the same credential is reused. Default 5000 ms; 0 disables the cache.
   * The trade-off: a session revoked (or a user disabled) in Gatehouse may still be seen as valid
   * here for up to this long. Gatehouse itself sees revocations at once.
   */
  cacheTtlMs?: number;
  /** Bound on cached answers; the oldest leave first. Default 10000. */
  cacheMaxEntries?: number;
  /** Gatehouse's session cookie name (`session.cookie_name`). Default `session`. */
  cookieName?: string;
  /** Default 5000 ms. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** The clock for the cache, in ms. For tests. */
  now?: () => number;
}

export interface ResolveCredentials {
  /** The incoming Authorization header, as received. */
  authorization?: string;
  /** The incoming Cookie header, as received; only Gatehouse's session cookie is forwarded. */
  cookie?: string;
}

export interface ResolverClient {
  /** The live session behind the credential, or null (no credential, invalid, revoked). */
  resolve(credentials: ResolveCredentials): Promise<Session | null>;
  clearCache(): void;
}

export function createResolverClient(options: ResolverClientOptions): ResolverClient {
  const url = endpointUrl(options.endpoint, "/_resolver/resolve");
  const doFetch = options.fetch ?? fetch;
  const cookieName = options.cookieName ?? "session";
  const now = options.now ?? Date.now;
  const cache = createTtlCache<Session | null>({ ttlMs: options.cacheTtlMs ?? 5000, maxEntries: options.cacheMaxEntries ?? 10_000, now });
  // Concurrent requests with the same credential share one resolver call.
  const inFlight = new Map<string, Promise<Session | null>>();

  async function ask(headers: Record<string, string>): Promise<Session | null> {
    let res: Response;
    try {
      res = await doFetch(url, { method: "GET", headers, redirect: "manual", signal: AbortSignal.timeout(options.timeoutMs ?? 5000) });
    } catch (err) {
      throw new ResolverError(`the resolver at ${url} is unreachable`, { cause: err });
    }
    await res.body?.cancel();
    if (res.status !== 200) throw new ResolverError(`the resolver answered HTTP ${res.status}`);
    return sessionFromHeaders(res.headers);
  }

  return {
    async resolve(credentials) {
      let headers: Record<string, string>;
      if (credentials.authorization) {
        // Gatehouse decides on a presented bearer token alone; the cookie would not rescue a bad one.
        headers = { authorization: credentials.authorization };
      } else {
        const session = readCookie(credentials.cookie, cookieName);
        if (!session) return null;
        // Only the IdP's cookie leaves this process, never the app's other cookies.
        headers = { cookie: `${cookieName}=${session}` };
      }
      // Keys are hashes so the cache does not hold live credentials.
      const key = createHash("sha256").update(headers.authorization ? `a ${headers.authorization}` : `c ${headers.cookie}`).digest("base64url");
      const cached = cache.get(key);
      if (cached !== undefined) return cached;
      let pending = inFlight.get(key);
      if (!pending) {
        pending = ask(headers).finally(() => inFlight.delete(key));
        inFlight.set(key, pending);
      }
      const session = await pending;
      cache.set(key, session);
      return session;
    },
    clearCache: () => cache.clear(),
  };
}
