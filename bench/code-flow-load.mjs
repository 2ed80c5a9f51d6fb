// The full authorization code flow under load, which a plain load generator (wrk) cannot chain: each worker loops
// GET /oauth2/authorize (with the IdP session cookie and a fresh PKCE S256 challenge) → 302 with a
// code → POST /oauth2/token with the code and its verifier → 200 with an ID token.
// Usage: node bench/code-flow-load.mjs '{"server": {…}, "sessionCookie": …, "connections": 32, "duration": 10}'
// Prints one JSON line: flows/s, per-flow latency percentiles (ms), failures, this process's CPU time.
import { Agent, request as httpRequest } from "node:http";
import { authorizeUrl, pkce } from "./sign-in.mjs";

const { server, sessionCookie, connections, duration, scope } = JSON.parse(process.argv[2]);
const agent = new Agent({ keepAlive: true, maxSockets: connections });

function send(url, { method = "GET", headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers, agent }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => { text += chunk; });
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function flow() {
  const { verifier, challenge } = pkce();
  const auth = await send(authorizeUrl(server, challenge, scope), { headers: { cookie: sessionCookie } });
  const code = auth.status === 302 && new URL(auth.headers.location).searchParams.get("code");
  if (!code) throw new Error(`authorize: ${auth.status} ${auth.headers.location ?? auth.text.slice(0, 200)}`);
  const body = new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: server.redirectUri, client_id: server.clientId, code_verifier: verifier }).toString();
  const token = await send(`${server.url}/oauth2/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(body) }, body });
  if (token.status !== 200 || !JSON.parse(token.text).id_token) throw new Error(`token: ${token.status} ${token.text.slice(0, 200)}`);
}

const latencies = [];
let errors = 0;
let firstError;
const end = performance.now() + duration * 1000;
async function worker() {
  while (performance.now() < end) {
    const t0 = performance.now();
    try {
      await flow();
      latencies.push(performance.now() - t0);
    } catch (err) {
      errors++;
      firstError ??= err.message;
    }
  }
}
const started = performance.now();
await Promise.all(Array.from({ length: connections }, worker));
const elapsed = (performance.now() - started) / 1000;
agent.destroy();

latencies.sort((a, b) => a - b);
const pct = (p) => (latencies.length ? Math.round(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] * 100) / 100 : null);
const mean = latencies.length ? latencies.reduce((a, b) => a + b, 0) / latencies.length : null;
const cpu = process.cpuUsage();
console.log(JSON.stringify({ reqPerSec: latencies.length / elapsed, requests: latencies.length, p50: pct(50), p99: pct(99), mean, non2xx: errors, errors, firstError, cpuMs: (cpu.user + cpu.system) / 1000 }));
