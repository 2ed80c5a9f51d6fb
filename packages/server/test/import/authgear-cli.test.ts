// `gatehouse import authgear` from the command line: the contract flags, and bad input answered with
// one line and exit 1 (or 2 for usage), leaving no file behind.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../cli/run-cli.ts";
import { POSTGRES_URL } from "../storage/backends.ts";

describe("gatehouse import authgear (command line)", () => {
  let dir = "";
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "gatehouse-import-cli-"));
    writeFileSync(join(dir, "authgear.yaml"), "id: myapp\nhttp:\n  public_origin: https://auth.example.test\n");
    writeFileSync(join(dir, "no-id.yaml"), "http:\n  public_origin: https://auth.example.test\n");
    writeFileSync(join(dir, "broken.yaml"), "id: [unclosed\n");
    writeFileSync(join(dir, "authgear.secrets.yaml"), "secrets: []\n");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const base = ["--authgear-config", "authgear.yaml", "--authgear-secrets", "authgear.secrets.yaml", "--database-url", `${POSTGRES_URL}?schema=no_such_authgear_schema`];

  it("needs its source word and the contract flags", async () => {
    const none = await runCli(["import", "authgear"], { cwd: dir });
    assert.equal(none.status, 2);
    assert.match(none.stderr, /needs --authgear-config and --authgear-secrets and --database-url/);
    const other = await runCli(["import", "auth0", ...base], { cwd: dir });
    assert.equal(other.status, 1);
    assert.match(other.stderr, /unknown source "auth0"/);
  });

  it("answers unreadable, broken and incomplete files, and a database that is not Authgear's, in one line; writes nothing", async () => {
    const cases: [string[], RegExp][] = [
      [["--authgear-config", "missing.yaml"], /cannot read Authgear config missing\.yaml/],
      [["--authgear-config", "broken.yaml"], /broken\.yaml is not valid YAML/],
      [["--authgear-config", "no-id.yaml"], /needs the app's `id`/],
      [[], /_auth_user/],
      [["--database-url", `${POSTGRES_URL}?schema=bad;drop`], /schema/],
    ];
    for (const [extra, message] of cases) {
      const args = [...base];
      for (let i = 0; i < extra.length; i += 2) args[args.indexOf(extra[i]) + 1] = extra[i + 1];
      const r = await runCli(["import", "authgear", ...args], { cwd: dir });
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
      assert.equal(existsSync(join(dir, "gatehouse.yaml")), false);
    }
  });
});
