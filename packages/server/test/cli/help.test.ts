// `gatehouse --help` and `gatehouse <command> --help` list every command and flag: help is made from
// the same table the dispatcher runs, and this test walks that table.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import { commands } from "../../src/cli/main.ts";
import { runCli } from "./run-cli.ts";

describe("gatehouse help", () => {
  it("lists every command the dispatcher knows, and --demo", async () => {
    const r = await runCli(["--help"], { cwd: tmpdir() });
    assert.equal(r.status, 0);
    assert.ok(commands.length >= 7);
    for (const c of commands) assert.match(r.stdout, new RegExp(`^  ${c.name} +\\S`, "m"), `gatehouse --help lacks ${c.name}`);
    for (const flag of ["--config FILE", "--port N", "--demo", "--debug", "--help"]) assert.ok(r.stdout.includes(flag), `gatehouse --help lacks ${flag}`);
    assert.match(r.stdout, /GATEHOUSE_CONFIG/);
    assert.match(r.stdout, /PORT/);
  });

  it("lists each command's flags in `gatehouse <command> --help`", async () => {
    for (const c of commands) {
      const r = await runCli([...c.name.split(" "), "--help"], { cwd: tmpdir() });
      assert.equal(r.status, 0, `${c.name} --help: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`^usage: gatehouse ${c.name}\\b`), c.name);
      for (const flag of [...c.flags, "debug", "help"]) assert.match(r.stdout, new RegExp(`^  (-\\w, )?--${flag}\\b`, "m"), `${c.name} --help lacks --${flag}`);
    }
    assert.match((await runCli(["start", "--help"], { cwd: tmpdir() })).stdout, /--demo/);
  });

  it("refuses an unknown command or a flag the command does not take, with exit 2", async () => {
    const unknown = await runCli(["users"], { cwd: tmpdir() });
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown command: users \(did you mean gatehouse users create( or [^)]*)?\?\)/);
    const stray = await runCli(["start", "--email", "a@example.com"], { cwd: tmpdir() });
    assert.equal(stray.status, 2);
    assert.match(stray.stderr, /^gatehouse: start does not take --email\nusage: gatehouse start /);
    const missing = await runCli(["users", "create", "--email", "a@example.com"], { cwd: tmpdir() });
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /users create needs --password/);
  });
});
