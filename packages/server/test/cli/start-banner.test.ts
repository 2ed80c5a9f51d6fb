// `start` says which config it runs with and the one URL to open; --port / PORT cannot leave
// http.public_origin pointing at another port (issue 12).
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../support/server.ts";
import { runCli, startCli } from "./run-cli.ts";
import { STARTER_CONFIG } from "../../src/config/starter.ts";

describe("gatehouse start: banner, port and public origin", () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), "gatehouse-cli-")); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("refuses --port or PORT that disagrees with the init config's public_origin, naming the field to change", async () => {
    const cwd = mkdtempSync(join(dir, "init-"));
    assert.equal((await runCli(["init"], { cwd })).status, 0);
    const r = await runCli(["start", "--port", "3500"], { cwd });
    assert.equal(r.status, 1);
    assert.equal(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
    assert.match(r.stderr, /^gatehouse: http\.public_origin: http:\/\/localhost:3000 names port 3000 but --port is 3500; change http\.public_origin in gatehouse\.yaml to "http:\/\/localhost:3500", or drop --port$/m);
    const env = await runCli(["start"], { cwd, env: { ...process.env, PORT: "3501" } });
    assert.equal(env.status, 1);
    assert.match(env.stderr, /but PORT is 3501; change http\.public_origin in gatehouse\.yaml to "http:\/\/localhost:3501", or drop PORT$/m);
  });

  it("refuses an http.listen port that disagrees with a loopback public_origin", async () => {
    writeFileSync(join(dir, "listen.yaml"), STARTER_CONFIG.replace('listen: "0.0.0.0:3000"', 'listen: "0.0.0.0:3600"').replace("./data/gatehouse.db", join(dir, "listen.sqlite")));
    const r = await runCli(["start", "--config", "listen.yaml"], { cwd: dir });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^gatehouse: http\.public_origin: http:\/\/localhost:3000 names port 3000 but http\.listen is 0\.0\.0\.0:3600; change http\.public_origin in listen\.yaml to "http:\/\/localhost:3600", or make http\.listen use port 3000$/m);
  });

  it("names the config file in the banner, and the framework's own lines advertise no other URL", async () => {
    const port = await freePort();
    writeFileSync(join(dir, "ok.yaml"), STARTER_CONFIG.replaceAll("3000", String(port)).replace("./data/gatehouse.db", join(dir, "ok.sqlite")));
    const server = startCli(["start", "--config", "ok.yaml"], { cwd: dir });
    try {
      await server.waitFor(/discovery: .*\n/);
      const out = server.output();
      assert.match(out, new RegExp(`Gatehouse is running at http://localhost:${port}\\n  config:    ok\\.yaml\\n  listening: 0\\.0\\.0\\.0:${port}\\n`));
      assert.match(out, new RegExp(`"msg":"listening on 127\\.0\\.0\\.1:${port}; open http://localhost:${port}"`));
      // Every URL printed is on the public origin: not http://127.0.0.1:…, http://0.0.0.0:…, http://[::1]:… or a LAN address.
      const urls = out.match(/https?:\/\/[^\s"')]+/g) ?? [];
      assert.ok(urls.length > 0);
      for (const url of urls) assert.ok(url.startsWith(`http://localhost:${port}`), `${url} is not on the public origin`);
    } finally {
      await server.stop();
    }
  });

  it("in demo mode moves the public origin to --port and says so", async () => {
    const cwd = mkdtempSync(join(dir, "demo-"));
    const port = await freePort();
    const server = startCli(["start", "--demo", "--port", String(port)], { cwd });
    try {
      await server.waitFor(/demo app: .*\n/);
      assert.match(server.output(), new RegExp(`Gatehouse is running at http://localhost:${port}\\n  config:    built-in demo config\\n`));
      assert.match(server.output(), new RegExp(`note:      http\\.public_origin follows --port ${port} \\(demo mode\\)`));
      const discovery = await (await fetch(`http://127.0.0.1:${port}/.well-known/openid-configuration`)).json() as { issuer: string; authorization_endpoint: string };
      assert.equal(discovery.issuer, `http://localhost:${port}`);
      assert.equal(discovery.authorization_endpoint, `http://localhost:${port}/oauth2/authorize`);
    } finally {
      await server.stop();
    }
  });
});
