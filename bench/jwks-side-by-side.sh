#!/usr/bin/env bash
# A quick cross-check of the edge's cost on JWKS outside bench/run.mjs: Gatehouse (through the CLI) and a
# bare node:http server answering the same JWKS-sized JSON, both pinned to core 0, measured alternately by
# wrk on core 1 (3 s each, ROUNDS times). Prints req/s for both and their ratio per round.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${ROUNDS:-3}"
dir=$(mktemp -d)
port=$(node -e 'const s=require("net").createServer().listen(0,()=>{console.log(s.address().port);s.close()})')
bare=$(node -e 'const s=require("net").createServer().listen(0,()=>{console.log(s.address().port);s.close()})')
cat > "$dir/g.json" <<JSON
{"http":{"public_origin":"http://127.0.0.1:$port","listen":"127.0.0.1:$port"},"database":{"url":"sqlite:$dir/db.sqlite"},
 "oauth":{"clients":[{"client_id":"b","x_application_type":"spa","redirect_uris":["http://127.0.0.1:9/cb"]}]}}
JSON
node bin/gatehouse.mjs migrate --config "$dir/g.json" >/dev/null
taskset -c 0 node bin/gatehouse.mjs start --config "$dir/g.json" >/dev/null 2>&1 & gh=$!
taskset -c 0 node -e '
const body = JSON.stringify({ keys: [{ kty: "RSA", n: "x".repeat(342), e: "AQAB", kid: "k", alg: "RS256", use: "sig" }] });
const headers = { "content-type": "application/json", "cache-control": "public, max-age=300", "content-length": String(Buffer.byteLength(body)) };
require("http").createServer((req, res) => { res.writeHead(200, headers); res.end(body); }).listen(Number(process.argv[1]), "127.0.0.1");' "$bare" & raw=$!
trap 'kill $gh $raw 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
rps() { taskset -c 1 wrk -t1 -c32 -d3s "$1" | awk '/Requests\/sec/ {print int($2)}'; }
for r in $(seq "$ROUNDS"); do
  b=$(rps "http://127.0.0.1:$bare/"); g=$(rps "http://127.0.0.1:$port/oauth2/jwks")
  echo "round $r: bare node:http $b req/s, gatehouse jwks $g req/s, ratio $((100 * g / b))%"
done
