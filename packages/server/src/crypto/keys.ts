// Signing keys: generated on first start, stored, published in JWKS. Rotation adds a new key and
// keeps the old one published (it no longer signs) so tokens it signed still verify until they expire;
// once the longest token lifetime has passed since the rotation, nothing it signed is still valid and
// it leaves the JWKS (a published key nobody needs is only a liability).
// Keys imported from Authgear (import/authgear/) arrive retired-but-published: rotatedAt set (they never
// sign) and an explicit retiredAt, the longest access-token lifetime after the import, when they leave.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import type { SigningKeyStore } from "../storage/ports.ts";
import type { SigningKey } from "../domain/signing-key.ts";
import { randomId } from "./secrets.ts";

export interface LoadedKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicJwk: Record<string, unknown>;
}

export interface KeyRing {
  /** The key that signs new tokens. */
  current(): LoadedKey;
  /** Any published key, for verification. */
  byKid(kid: string): LoadedKey | undefined;
  /** JWKS document, serialised once per key set change. */
  jwksJson(): string;
  rotate(now: number): Promise<void>;
  /** Re-reads the store, so a rotation done by another node is picked up. */
  reload(): Promise<void>;
  /**
   * For a token naming a kid we do not know: re-read the store (another node may have rotated),
   * at most once per `minIntervalMs`, so garbage kids cannot make us hammer the database.
   */
  findOrReload(kid: string, minIntervalMs?: number): Promise<LoadedKey | undefined>;
}

function load(stored: SigningKey): LoadedKey {
  const privateKey = createPrivateKey({ key: JSON.parse(stored.privateJwk), format: "jwk" });
  const publicKey = createPublicKey(privateKey);
  const jwk = publicKey.export({ format: "jwk" });
  return { kid: stored.kid, privateKey, publicKey, publicJwk: { kty: jwk.kty, n: jwk.n, e: jwk.e, kid: stored.kid, alg: "RS256", use: "sig" } };
}

function generate(now: number): SigningKey {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { kid: randomId(), privateJwk: JSON.stringify(privateKey.export({ format: "jwk" })), createdAt: now, rotatedAt: null, retiredAt: null };
}

export interface KeyRingOptions {
  /** Seconds after its rotation that a key stops being published: the longest lifetime of a token it signed. */
  retireAfterSeconds?: () => number;
}

export async function openKeyRing(store: SigningKeyStore, now: () => number, options: KeyRingOptions = {}): Promise<KeyRing> {
  let keys: LoadedKey[] = [];
  let signing: LoadedKey;
  let jwks = "";

  const published = (k: SigningKey): boolean => {
    const retiredAt = k.retiredAt ?? (k.rotatedAt !== null && options.retireAfterSeconds ? k.rotatedAt + options.retireAfterSeconds() : null);
    return retiredAt === null || retiredAt > now();
  };

  async function refresh(): Promise<void> {
    let stored = (await store.list()).filter(published);
    if (!stored.some((k) => k.rotatedAt === null)) {
      await store.insert(generate(now()));
      stored = (await store.list()).filter(published);
    }
    keys = stored.map(load);
    // The newest unrotated key signs; if two nodes raced on first start, both pick the same one.
    const active = stored.filter((k) => k.rotatedAt === null).sort((a, b) => b.createdAt - a.createdAt || a.kid.localeCompare(b.kid));
    signing = keys.find((k) => k.kid === active[0].kid)!;
    jwks = JSON.stringify({ keys: keys.map((k) => k.publicJwk) });
  }

  await refresh();
  let lastReload = Date.now();
  // Another node's rotation reaches this one within a minute even if no token names the new kid.
  const timer = setInterval(() => { refresh().catch(() => undefined); }, 60_000);
  timer.unref();
  return {
    current: () => signing,
    byKid: (kid) => keys.find((k) => k.kid === kid),
    jwksJson: () => jwks,
    async rotate(at) {
      const old = signing.kid;
      await store.insert(generate(at));
      await store.markRotated(old, at);
      await refresh();
    },
    reload: refresh,
    async findOrReload(kid, minIntervalMs = 10_000) {
      const known = keys.find((k) => k.kid === kid);
      if (known || Date.now() - lastReload < minIntervalMs) return known;
      lastReload = Date.now();
      await refresh();
      return keys.find((k) => k.kid === kid);
    },
  };
}
