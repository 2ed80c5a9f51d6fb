// The floor under the refresh grant: a bare node:http server that does only what any refresh must —
// read the form body, sign two JWTs of Gatehouse's sizes (RS256, node:crypto), answer ~2.4 KB of
// JSON — and nothing else (no parsing, lookups or checks). Its rate against the sign rate shows how
// much of the refresh target this machine leaves to everything that is not signing.
import { createServer } from "node:http";
import { generateKeyPairSync, randomUUID, sign } from "node:crypto";

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const b64 = (v) => Buffer.from(JSON.stringify(v)).toString("base64url");
const claims = {
  iss: "http://127.0.0.1:8080", sub: "0fa18900-a757-492f-9c96-ae0136348a92", iat: 1795733793, auth_time: 1795733793, amr: ["pwd"],
  sid: "o.90899f90385f97f2d2ddf81a3f5aed30", "https://authgear.com/claims/user/is_anonymous": false,
  "https://authgear.com/claims/user/is_verified": true, "https://authgear.com/claims/user/can_reauthenticate": true,
  "https://authgear.com/claims/user/roles": [],
};
const jwt = (header, payload) => {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${sign("sha256", Buffer.from(input), privateKey).toString("base64url")}`;
};

const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const now = Math.floor(Date.now() / 1000);
    const body = JSON.stringify({
      access_token: jwt({ alg: "RS256", typ: "at+jwt", kid: "k1" }, { ...claims, aud: ["http://127.0.0.1:8080"], client_id: "bench-spa", scope: "openid offline_access email", exp: now + 1800, jti: randomUUID() }),
      token_type: "Bearer", expires_in: 1800, scope: "openid offline_access email",
      id_token: jwt({ alg: "RS256", typ: "JWT", kid: "k1" }, { ...claims, aud: "bench-spa", exp: now + 300 }),
    });
    res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store", pragma: "no-cache" });
    res.end(body);
  });
});
server.listen(0, "127.0.0.1", () => {
  console.log(JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` }));
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
