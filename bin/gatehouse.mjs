#!/usr/bin/env node
// The `gatehouse` command. Runs the JavaScript build in dist/ (made by `npm install`, see
// scripts/build.mjs) when it is up to date with the sources, else the TypeScript sources through tsx.
import { runnable } from "./build-state.mjs";

const build = runnable();
let main;
if (build) {
  ({ main } = await import(build));
} else {
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import("../packages/server/src/cli/main.ts"));
}
const code = await main(process.argv.slice(2));
// A failed command may leave connections (a pool that never connected) holding the process open.
if (code !== 0) process.exit(code);
process.exitCode = code;
