// The app ID (Authgear's top-level `id` in authgear.yaml) and the admin API's verification keys.
// Authgear's admin API takes a JWT whose `aud` is the app ID, signed by the project's admin-API key;
// the key set lives in the secrets file under `admin-api.auth` (admin-api-secrets.ts copies only its
// public parts here), or may be written here directly (public keys are no secret).
import { z } from "zod";

/** JWK members that only a private or symmetric key has: never accepted in the config. */
export const PRIVATE_JWK_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"] as const;

const publicJwk = z
  .object({
    kid: z.string().min(1).max(200).describe("The key ID backends put in the JWT header."),
    kty: z.enum(["RSA", "EC", "OKP"]),
    alg: z.string().max(20).optional(),
    use: z.string().max(20).optional(),
    n: z.string().optional(), e: z.string().optional(),
    crv: z.string().optional(), x: z.string().optional(), y: z.string().optional(),
  })
  .passthrough()
  .superRefine((k, ctx) => {
    for (const m of PRIVATE_JWK_MEMBERS) {
      if (m in k) ctx.addIssue({ code: "custom", path: [m], message: "a private key member: give the public key only (the secrets file's admin-api.auth may hold the private one)" });
    }
    if (k.kty === "RSA" && (!k.n || !k.e)) ctx.addIssue({ code: "custom", message: "an RSA key needs n and e" });
    if (k.kty !== "RSA" && (!k.crv || !k.x)) ctx.addIssue({ code: "custom", message: `an ${k.kty} key needs crv and x` });
  });

export const adminApiFields = {
  id: z.string().min(1).max(100).optional()
    .describe("The app ID (Authgear's project ID): admin API JWTs must carry it as `aud`. Unset: only Gatehouse admin keys open /_api/admin/graphql."),
  admin_api: z
    .object({
      public_keys: z.array(publicJwk).max(20).default([])
        .describe("Public JWKs that may sign admin API JWTs (Authgear's admin-api.auth); filled from the secrets file, or written here."),
    })
    .prefault({}),
};
