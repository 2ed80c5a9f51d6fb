// One typed schema for gatehouse.yaml. Field names follow Authgear's authgear.yaml so that
// an Authgear config can be carried over; defaults are Authgear's unless noted.
import { z } from "zod";

const absoluteUrl = z.string().refine((s) => {
  try {
    const u = new URL(s);
    return u.protocol.length > 1 && !u.hash;
  } catch {
    return false;
  }
}, "must be an absolute URL without a fragment");

export const applicationTypes = ["spa", "traditional_webapp", "native", "confidential", "third_party_app"] as const;
export type ApplicationType = (typeof applicationTypes)[number];

const clientSchema = z
  .object({
    client_id: z.string().min(1).max(200).describe("The OAuth client_id apps send."),
    name: z.string().default("").describe("Shown on the login page."),
    x_application_type: z.enum(applicationTypes).default("spa"),
    client_secret: z.string().min(16).optional().describe("Secret for confidential types (or use client_secrets)."),
    client_secrets: z.array(z.string().min(16)).optional().describe("Several secrets, for rotation."),
    redirect_uris: z.array(absoluteUrl).default([]),
    post_logout_redirect_uris: z.array(absoluteUrl).default([]),
    access_token_lifetime_seconds: z.number().int().min(300).default(1800),
    refresh_token_lifetime_seconds: z.number().int().min(300).default(31449600),
    refresh_token_idle_timeout_enabled: z.boolean().default(true),
    refresh_token_idle_timeout_seconds: z.number().int().min(300).default(2592000),
    refresh_token_rotation_enabled: z.boolean().default(false),
    issue_jwt_access_token: z.boolean().default(true).describe("Gatehouse always issues JWTs; kept for compatibility."),
  })
  .superRefine((c, ctx) => {
    const confidential = c.x_application_type === "confidential" || c.x_application_type === "third_party_app";
    const hasSecret = Boolean(c.client_secret) || (c.client_secrets?.length ?? 0) > 0;
    if (confidential && !hasSecret) {
      ctx.addIssue({ code: "custom", path: ["client_secret"], message: `required for x_application_type ${c.x_application_type}` });
    }
    if (!confidential && hasSecret) {
      ctx.addIssue({ code: "custom", path: ["client_secret"], message: "only confidential clients have secrets" });
    }
  });

export const configSchema = z
  .object({
    http: z
      .object({
        public_origin: absoluteUrl.default("http://localhost:3000").describe("Issuer; the origin apps reach us at."),
        listen: z.string().regex(/^[^:]*:\d+$/, "must be host:port").default("0.0.0.0:3000"),
        cookie_domain: z.string().optional().describe("Domain of the session cookie; derived from public_origin if unset."),
        trust_proxy: z.boolean().default(false).describe("Trust X-Forwarded-* headers for the client IP."),
      })
      .prefault({}),
    database: z
      .object({ url: z.string().default("sqlite:./data/gatehouse.db").describe("sqlite:PATH or postgres://…") })
      .prefault({}),
    session: z
      .object({
        lifetime_seconds: z.number().int().min(60).default(31449600),
        idle_timeout_enabled: z.boolean().default(true),
        idle_timeout_seconds: z.number().int().min(60).default(2592000),
        cookie_name: z.string().regex(/^[A-Za-z0-9_-]+$/).default("session"),
      })
      .prefault({}),
    oauth: z.object({ clients: z.array(clientSchema).default([]) }).prefault({}),
    authentication: z
      .object({
        password_hash: z
          .object({
            // OWASP Password Storage Cheat Sheet: argon2id, m=19 MiB, t=2, p=1.
            memory_kib: z.number().int().min(8192).default(19456),
            iterations: z.number().int().min(1).default(2),
            parallelism: z.number().int().min(1).default(1),
          })
          .prefault({}),
      })
      .prefault({}),
  })
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.oauth.clients.forEach((client, i) => {
      if (seen.has(client.client_id)) {
        ctx.addIssue({ code: "custom", path: ["oauth", "clients", i, "client_id"], message: "duplicate client_id" });
      }
      seen.add(client.client_id);
    });
  });

export type Config = z.infer<typeof configSchema>;
export type ClientConfig = z.infer<typeof clientSchema>;
