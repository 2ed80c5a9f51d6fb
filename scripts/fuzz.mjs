#!/usr/bin/env node
// npm run fuzz: the hostile-input suite at length — FUZZ_RUNS (default 10,000) random cases per
// endpoint, on SQLite and PostgreSQL (FUZZ_BACKENDS), with values up to ~1 MB (FUZZ_HUGE). Prints
// counts per endpoint and status, and the failing inputs. Other knobs: FUZZ_SEED, FUZZ_ENDPOINTS,
// FUZZ_TIMEOUT_MS, FUZZ_SNAPSHOT_EVERY, FUZZ_REPORT (a file for the full list).
import { spawnSync } from "node:child_process";

const root = new URL("..", import.meta.url).pathname;
const env = { FUZZ_RUNS: "10000", FUZZ_BACKENDS: "sqlite,postgres", FUZZ_REPORT: "fuzz-report.txt", ...process.env };
const result = spawnSync(process.execPath, ["--import", "tsx", "packages/server/test/fuzz/main.ts"], { cwd: root, stdio: "inherit", env });
process.exit(result.status ?? 1);
