// DPoP at a resource endpoint (RFC 9449 §7): userinfo and the resolver. A DPoP-bound access token is
// good only with a proof by its key. Authgear's SDKs send it as `Authorization: Bearer <token>` with
// a `DPoP` proof and no `ath` (authgear-core client.ts L68-90); RFC clients use `Authorization: DPoP`
// with `ath`. Both are accepted; a bound token with no proof never is.
import type { Context } from "../context.ts";
import { bearerToken } from "../session/caller.ts";
import { verifyProof, type ProofTarget, type VerifiedProof, invalidProof } from "./proof.ts";
import { replayCacheOf } from "./replay.ts";

export interface PresentedToken {
  scheme: "bearer" | "dpop";
  token: string;
}

/** The token of an `Authorization: Bearer …` or `Authorization: DPoP …` header, or null. */
export function presentedAccessToken(header: string): PresentedToken | null {
  const bearer = bearerToken(header);
  if (bearer) return { scheme: "bearer", token: bearer };
  if (header.length < 6 || header.charCodeAt(4) !== 32 || header.slice(0, 4).toLowerCase() !== "dpop") return null;
  const token = header.slice(5);
  return token.length > 0 && !/\s/.test(token) ? { scheme: "dpop", token } : null;
}

/**
 * Verifies the request's proof for the presented token, or returns null when there is none (only
 * a Bearer token may come without one). Throws `invalid_dpop_proof`. `boundOnly`: the DPoP scheme
 * was used, so the token must be a bound one.
 */
export async function resourceProof(
  ctx: Context, proof: string | undefined, presented: PresentedToken, target: ProofTarget | null,
): Promise<(VerifiedProof & { boundOnly: boolean }) | null> {
  if (proof === undefined) {
    if (presented.scheme === "dpop") throw invalidProof("the DPoP scheme needs a DPoP proof");
    return null;
  }
  if (!target) throw invalidProof("the request URI cannot be determined");
  const verified = await verifyProof(proof, target, {
    now: ctx.now(), replay: replayCacheOf(ctx), accessToken: presented.token, requireAth: presented.scheme === "dpop",
  });
  return { ...verified, boundOnly: presented.scheme === "dpop" };
}

/** The WWW-Authenticate challenge for a DPoP failure (§7.1). Descriptions are ours: no quotes inside. */
export function dpopChallenge(error: string, description: string): string {
  return `DPoP error="${error}", error_description="${description.replace(/["\\]/g, "")}", algs="RS256 ES256"`;
}
