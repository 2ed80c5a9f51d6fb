// A device as the native SDKs make one: an RSA-2048 key pair, and request JWTs built exactly as
// authgear-sdk-js packages/authgear-react-native/android/src/main/java/com/authgear/reactnative/
// AuthgearReactNativeModuleImpl.java builds them: getJWK (L557-567: kid, alg RS256, kty, n, e),
// makeBiometricJWTHeader (L569-576: typ, kid, alg, jwk), getAnonymousKey (L849-870: kid, alg, and
// jwk only while the key is new), signJWT (L593-602: base64url(JSON header).base64url(JSON payload),
// SHA256withRSA). Payloads as packages/authgear-react-native/src/index.ts builds them:
// anonymous L827-834 ({iat, exp: iat+60, challenge, action}), biometric L1061-1068 and L1106-1113
// ({iat, exp: iat+300, challenge, action, device_info}).
import { createSign, generateKeyPairSync, randomUUID, type KeyObject } from "node:crypto";

const b64u = (s: string | Buffer): string => Buffer.from(s).toString("base64url");

export function signJwt(privateKey: KeyObject, header: Record<string, unknown>, payload: Record<string, unknown>): string {
  const input = `${b64u(JSON.stringify(header))}.${b64u(JSON.stringify(payload))}`;
  const signature = createSign("SHA256").update(input).sign(privateKey);
  return `${input}.${b64u(signature)}`;
}

/** What getDeviceInfo() returns on Android (packages/authgear-react-native/src/types.ts DeviceInfo), abridged. */
export const DEVICE_INFO = { android: { Build: { MODEL: "Pixel 8", MANUFACTURER: "Google", VERSION: { RELEASE: "15", SDK_INT: "35" } } } };

export class Device {
  readonly kid = randomUUID();
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** Android sends the jwk with the anonymous key only until the key is stored server-side. */
  anonymousKeyKnown = false;

  constructor() {
    const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
  }

  jwk(): Record<string, string> {
    const { n, e } = this.publicKey.export({ format: "jwk" }) as { n: string; e: string };
    return { kid: this.kid, alg: "RS256", kty: "RSA", n, e };
  }

  anonymousJwt(challenge: string, action: "auth" | "promote", o: { now?: number; withJwk?: boolean } = {}): string {
    const now = o.now ?? Math.floor(Date.now() / 1000);
    const key: Record<string, unknown> = { kid: this.kid, alg: "RS256" };
    if (o.withJwk ?? !this.anonymousKeyKnown) key.jwk = this.jwk();
    return signJwt(this.privateKey, { typ: "vnd.authgear.anonymous-request", ...key }, { iat: now, exp: now + 60, challenge, action });
  }

  biometricJwt(challenge: string, action: "setup" | "authenticate", o: { now?: number } = {}): string {
    const now = o.now ?? Math.floor(Date.now() / 1000);
    const jwk = this.jwk();
    const header = { typ: "vnd.authgear.biometric-request", kid: jwk.kid, alg: jwk.alg, jwk };
    return signJwt(this.privateKey, header, { iat: now, exp: now + 300, challenge, action, device_info: DEVICE_INFO });
  }
}

/** POST /oauth2/challenge as authgear-core/src/client.ts oauthChallenge (L409-414) sends it: JSON, credentials omitted. */
export async function challenge(base: string, purpose: string): Promise<string> {
  const res = await fetch(`${base}/oauth2/challenge`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ purpose }) });
  const body = (await res.json()) as { result?: { token: string } };
  if (res.status !== 200 || !body.result) throw new Error(`challenge failed: ${res.status} ${JSON.stringify(body)}`);
  return body.result.token;
}
