// A software WebAuthn authenticator for unit tests: a P-256 key per credential, "none" attestation,
// and the clientDataJSON a browser would write for a given origin. It makes real signatures, so the
// server's checks (origin, RP ID hash, flags, challenge, signature, counter) run on real responses.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import { isoCBOR } from "@simplewebauthn/server/helpers";

const b64u = (b: Uint8Array): string => Buffer.from(b).toString("base64url");
const u32 = (n: number): Buffer => { const b = Buffer.alloc(4); b.writeUInt32BE(n); return b; };

export interface SoftCredential {
  id: Buffer;
  privateKey: KeyObject;
  userHandle: string;
  counter: number;
}

export class SoftAuthenticator {
  readonly credentials: SoftCredential[] = [];
  constructor(readonly rpId: string, readonly origin: string) {}

  private clientData(type: "webauthn.create" | "webauthn.get", challenge: string, origin: string): string {
    return b64u(Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false })));
  }

  private authData(flags: number, counter: number, attested?: Buffer, rpId = this.rpId): Buffer {
    return Buffer.concat([createHash("sha256").update(rpId).digest(), Buffer.from([flags]), u32(counter), ...(attested ? [attested] : [])]);
  }

  /** A registration response (JSON as the page posts it) for `challenge`, user handle `userHandle`. */
  register(challenge: string, userHandle: string, o: { origin?: string; userVerified?: boolean } = {}): string {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const jwk = publicKey.export({ format: "jwk" });
    const cose = isoCBOR.encode(new Map<number, number | Uint8Array>([
      [1, 2], [3, -7], [-1, 1], [-2, Buffer.from(jwk.x!, "base64url")], [-3, Buffer.from(jwk.y!, "base64url")],
    ]));
    const id = randomBytes(16);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(id.length);
    const attested = Buffer.concat([Buffer.alloc(16), idLength, id, Buffer.from(cose)]);
    const flags = 0x01 | (o.userVerified === false ? 0 : 0x04) | 0x40;
    const attestationObject = isoCBOR.encode(new Map<string, unknown>([["fmt", "none"], ["attStmt", new Map()], ["authData", this.authData(flags, 0, attested)]]) as never);
    this.credentials.push({ id, privateKey, userHandle, counter: 0 });
    return JSON.stringify({
      id: b64u(id), rawId: b64u(id), type: "public-key", clientExtensionResults: {},
      response: { clientDataJSON: this.clientData("webauthn.create", challenge, o.origin ?? this.origin), attestationObject: b64u(attestationObject), transports: ["internal"] },
    });
  }

  /** An assertion with credential `index` for `challenge`; the counter moves by `step` (0: a cloned authenticator's). */
  assert(challenge: string, o: { index?: number; origin?: string; rpId?: string; step?: number; userHandle?: string | null } = {}): string {
    const cred = this.credentials[o.index ?? 0];
    cred.counter += o.step ?? 1;
    const authenticatorData = this.authData(0x01 | 0x04, cred.counter, undefined, o.rpId);
    const clientDataJSON = this.clientData("webauthn.get", challenge, o.origin ?? this.origin);
    const signed = Buffer.concat([authenticatorData, createHash("sha256").update(Buffer.from(clientDataJSON, "base64url")).digest()]);
    const signature = sign("sha256", signed, cred.privateKey);
    const userHandle = o.userHandle === undefined ? b64u(Buffer.from(cred.userHandle)) : o.userHandle === null ? undefined : o.userHandle;
    return JSON.stringify({
      id: b64u(cred.id), rawId: b64u(cred.id), type: "public-key", clientExtensionResults: {},
      response: { clientDataJSON, authenticatorData: b64u(authenticatorData), signature: b64u(signature), userHandle },
    });
  }
}
