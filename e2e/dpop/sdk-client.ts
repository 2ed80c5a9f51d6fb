// A Node client that builds every request the way Authgear's native SDKs build them, so the server
// is tested against what real apps send. Sources (snapshots read for this file):
//   J: authgear/authgear-sdk-js @2b0bfd46   I: authgear/authgear-sdk-ios @01748e7   A: authgear/authgear-sdk-android @968c019
//
// React Native (J: packages/authgear-react-native/…/AuthgearReactNativeModuleImpl.java):
//   key: RSA 2048, JWK {kid, alg:"RS256", kty:"RSA", n, e}                       getJWK L557-567
//   header {typ:"dpop+jwt", kid, alg, jwk}                                       makeDPoPJWTHeader L578-584
//   signature SHA256withRSA over base64url(header).base64url(payload)            makeSignature L586-590, signJWT L593-602
//   jkt = base64url(SHA-256('{"e":…,"kty":"RSA","n":…}'))                         computeDPoPJKT L948-966
//   payload {iat, exp: iat+300, jti: uuid, htm, htu}                             J: packages/authgear-core/src/dpop.ts L82-88
// iOS (I: Sources/dpop/DefaultDPoPProvider.swift L12-27): P-256 key in the Secure Enclave, ES256,
//   JWK {kid, kty:"EC", alg:"ES256", x, y, crv:"P-256"} (JWK.swift L30-40, L113-135), header
//   {typ, kid, alg, jwk} (JWT.swift L10-27), payload {iat, exp: iat+60, jti: UUID().uuidString, htm, htu}
//   (JWT.swift L83-93); jkt = jwk.thumbprint(.SHA256) (DefaultDPoPProvider.swift L34-37).
// Android (A: sdk/…/dpop/DefaultDPoPProvider.kt L24-45): RSA, SHA256withRSA, payload exp: iat+60 (JWT.kt L52-57).
//
// Transport, all three: the proof's htm is the request method and its htu the full request URL,
// query included (J: authgear-core/src/client.ts _doFetch L79-90; I: APIClient.swift L475-479;
// A: OAuthRepoHttp.kt fetchWithDPoP L224-236). The access token goes as `Authorization: Bearer`
// (J: client.ts L71, L312, L349), never with the DPoP scheme, and no proof carries `ath` or `nonce`.
// Authorize: J: authgear-core/src/container.ts authorizeEndpoint L414-527 (dpop_jkt L509-510) called
// from authgear-react-native/src/index.ts L926-938 (computeJKT, offline access).
// Token requests: J: client.ts _oidcTokenRequest L273-323 (form fields, credentials include).
import { createHash, generateKeyPairSync, randomUUID, sign, type KeyObject } from "node:crypto";

export type Platform = "react-native" | "ios" | "android";

const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString("base64url");

export class NativeSdk {
  readonly kid = randomUUID();
  private readonly privateKey: KeyObject;
  private readonly jwk: Record<string, string>;

  constructor(readonly platform: Platform) {
    if (platform === "ios") {
      const pair = generateKeyPairSync("ec", { namedCurve: "P-256" });
      const { x, y } = pair.publicKey.export({ format: "jwk" }) as { x: string; y: string };
      this.privateKey = pair.privateKey;
      this.jwk = { kid: this.kid, kty: "EC", alg: "ES256", x, y, crv: "P-256" };
    } else {
      const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
      const { n, e } = pair.publicKey.export({ format: "jwk" }) as { n: string; e: string };
      this.privateKey = pair.privateKey;
      this.jwk = { kid: this.kid, alg: "RS256", kty: "RSA", n, e };
    }
  }

  /** The SDKs' computeJKT: SHA-256 over the required members in lexicographic order (RFC 7638). */
  jkt(): string {
    const j = this.jwk;
    const members = j.kty === "EC" ? { crv: j.crv, kty: j.kty, x: j.x, y: j.y } : { e: j.e, kty: j.kty, n: j.n };
    return createHash("sha256").update(JSON.stringify(members)).digest("base64url");
  }

  /** A DPoP proof as the platform's generateDPoPProof makes it; `over` changes claims for hostile cases. */
  proof(htm: string, htu: string, over: Record<string, unknown> = {}): string {
    const now = Math.floor(Date.now() / 1000);
    const header = { typ: "dpop+jwt", kid: this.kid, alg: this.jwk.alg, jwk: this.jwk };
    const jti = this.platform === "ios" ? randomUUID().toUpperCase() : randomUUID();
    const payload = { iat: now, exp: now + (this.platform === "react-native" ? 300 : 60), jti, htm, htu, ...over };
    const input = `${b64(header)}.${b64(payload)}`;
    const key = this.platform === "ios" ? { key: this.privateKey, dsaEncoding: "ieee-p1363" as const } : this.privateKey;
    return `${input}.${sign("sha256", Buffer.from(input), key).toString("base64url")}`;
  }

  /** The SDK's fetch: the request as given plus a fresh proof for its method and full URL. */
  async fetch(url: string, init: { method?: string; headers?: Record<string, string>; body?: string; proof?: string | null } = {}): Promise<Response> {
    const method = init.method ?? "GET";
    const headers: Record<string, string> = { ...init.headers };
    const proof = init.proof === undefined ? this.proof(method, url) : init.proof;
    if (proof !== null) headers.DPoP = proof;
    return fetch(url, { method, headers, body: init.body, redirect: "manual" });
  }

  /** POST /oauth2/token as _oidcTokenRequest builds it. */
  async token(tokenEndpoint: string, form: Record<string, string>, options: { proof?: string | null } = {}): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
    const res = await this.fetch(tokenEndpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form).toString(),
      proof: options.proof,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
  }

  /** The authorize URL of a native sign-in (authorizeEndpoint with requestOfflineAccess and dpop_jkt). */
  authorizeUrl(authorizationEndpoint: string, options: { clientId: string; redirectUri: string; challenge: string; state: string; dpop?: boolean }): string {
    const q = new URLSearchParams();
    q.append("response_type", "code");
    q.append("code_challenge_method", "S256");
    q.append("code_challenge", options.challenge);
    q.append("scope", "openid offline_access https://authgear.com/scopes/full-access");
    q.append("client_id", options.clientId);
    q.append("redirect_uri", options.redirectUri);
    q.append("state", options.state);
    q.append("x_platform", this.platform === "react-native" ? "react-native" : this.platform);
    if (options.dpop !== false) q.append("dpop_jkt", this.jkt());
    q.append("x_sso_enabled", "false");
    return `${authorizationEndpoint}?${q.toString()}`;
  }
}

/** x_device_info as the React Native SDK sends it (J: authgear-react-native/src/index.ts L127-132): base64url JSON. */
export function deviceInfo(platform: Platform): string {
  return Buffer.from(JSON.stringify({ platform, model: "test" })).toString("base64url");
}
