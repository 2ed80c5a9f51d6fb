// Microsoft Entra ID (Azure AD v2.0 endpoint). A single-tenant app names its tenant; a multi-tenant
// one uses `common` (work, school and personal accounts), `organizations` or `consumers`. For those
// the discovery document's issuer is a template, https://login.microsoftonline.com/{tenantid}/v2.0,
// and each ID token names the user's own tenant in `tid`: the issuer must be the template filled with
// that tid. As Authgear does, the subject is `oid` (stable per tenant and across apps), not `sub`.
// https://learn.microsoft.com/en-us/entra/identity-platform/access-tokens#validate-the-issuer
import { oidcKind } from "./oidc.ts";

export const azureDiscoveryUrl = (tenant: string): string =>
  `https://login.microsoftonline.com/${encodeURIComponent(tenant)}/v2.0/.well-known/openid-configuration`;

export const azureadv2 = oidcKind({
  label: "Microsoft",
  discoveryUrl: (p) => azureDiscoveryUrl(p.tenant ?? "common"),
  subjectClaim: "oid",
  issuer(iss, claims, doc) {
    if (!doc.issuer.includes("{tenantid}")) return iss === doc.issuer;
    const tid = claims.tid;
    return typeof tid === "string" && /^[0-9a-f-]{36}$/.test(tid) && iss === doc.issuer.replace("{tenantid}", tid);
  },
});
