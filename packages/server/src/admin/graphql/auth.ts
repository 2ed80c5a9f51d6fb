// Who may call /_api/admin/graphql. As Authgear checks it (pkg/lib/admin/authz/middleware.go): a
// `Bearer` JWT whose header `kid` names a key of the project's admin-API key set (config
// `admin_api.public_keys`, from the secrets file's `admin-api.auth`), signed with that key, `aud`
// holding the app ID (config `id`), not expired and not issued in the future, without leeway.
// Gatehouse's own admin API keys (`gatehouse admin-keys create`) open it too, as they open REST.
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from "jose";
import type { Context } from "../../context.ts";
import type { Config } from "../../config/schema.ts";
import { checkAdminKey } from "../keys.ts";
import type { Actor } from "../operations.ts";

/** Asymmetric algorithms only: `none` and HMAC (whose "key" would be the public key) never verify. */
const ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"];

const keySets = new WeakMap<Config, JWTVerifyGetKey>();

function keySetOf(config: Config): JWTVerifyGetKey {
  let set = keySets.get(config);
  if (!set) keySets.set(config, (set = createLocalJWKSet({ keys: config.admin_api.public_keys } as JSONWebKeySet)));
  return set;
}

/** The caller, or null: the route answers null as Authgear does (403 Forbidden). */
export async function authenticateGraphql(ctx: Context, authorization: string | undefined): Promise<Actor | null> {
  const m = /^Bearer (\S+)$/.exec(authorization ?? "");
  if (!m) return null;
  const token = m[1];
  if (token.startsWith("gha_")) {
    const keyId = await checkAdminKey(ctx, token);
    return keyId ? { id: `key:${keyId}` } : null;
  }
  const appId = ctx.config.id;
  if (!appId || ctx.config.admin_api.public_keys.length === 0 || token.length > 8192) return null;
  try {
    // A key is chosen by `kid` only, as Authgear's key-set lookup does: no kid, no key.
    const kid = decodeProtectedHeader(token).kid;
    if (typeof kid !== "string" || !ctx.config.admin_api.public_keys.some((k) => k.kid === kid)) return null;
    const now = ctx.now();
    const { payload } = await jwtVerify(token, keySetOf(ctx.config), {
      audience: appId, algorithms: ALGORITHMS, requiredClaims: ["exp"], clockTolerance: 0, currentDate: new Date(now * 1000),
    });
    if (typeof payload.iat === "number" && payload.iat > now) return null;
    return { id: `admin_api_jwt:${kid}` };
  } catch {
    return null;
  }
}
