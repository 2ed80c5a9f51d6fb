// RS256 signing rate on one core (run.mjs pins it to the server's core): node:crypto's
// crypto.sign — what Gatehouse mints tokens with — and, with --jose, jose's SignJWT for comparison.
// Usage: node bench/sign-rate.mjs SECONDS [--jose]. Prints one JSON line: signs per second for
// each method, and the share of the core each got.
import { generateKeyPairSync, sign } from "node:crypto";
import { SignJWT } from "jose";

const seconds = Number(process.argv[2] ?? 3);
const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });

// A payload shaped like Gatehouse's access token (~800-byte signing input).
const payload = {
  iss: "http://127.0.0.1:8080", aud: ["http://127.0.0.1:8080"], sub: "0fa18900-a757-492f-9c96-ae0136348a92",
  client_id: "bench-spa", scope: "openid offline_access email", iat: 1795733793, exp: 1795735593, auth_time: 1795733793,
  amr: ["pwd"], sid: "o.90899f90385f97f2d2ddf81a3f5aed30", jti: "5ahg4mryrbzMzqKiPLgc2A",
  "https://authgear.com/claims/user/is_anonymous": false, "https://authgear.com/claims/user/is_verified": true,
  "https://authgear.com/claims/user/can_reauthenticate": true, "https://authgear.com/claims/user/roles": [],
};
const header = { alg: "RS256", typ: "at+jwt", kid: "3845624b4ad5e8fe4722d3a17545cdc5" };
const b64 = (v) => Buffer.from(JSON.stringify(v)).toString("base64url");
const input = Buffer.from(`${b64(header)}.${b64(payload)}`);

// Signs per second, and the share of the core this process got (below ~100%: something else ran there).
async function rate(signOnce) {
  for (let i = 0; i < 50; i++) await signOnce(); // warm up
  let n = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const end = start + seconds * 1000;
  while (performance.now() < end) {
    await signOnce();
    n++;
  }
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { perSec: n / (wallMs / 1000), cpuShare: (used.user + used.system) / 1000 / wallMs };
}

const nodeCrypto = await rate(() => sign("sha256", input, privateKey));
const jose = process.argv.includes("--jose") ? await rate(() => new SignJWT(payload).setProtectedHeader(header).sign(privateKey)) : undefined;
console.log(JSON.stringify({ inputBytes: input.length, perSec: nodeCrypto.perSec, cpuShare: nodeCrypto.cpuShare, jose: jose?.perSec, joseCpuShare: jose?.cpuShare }));
