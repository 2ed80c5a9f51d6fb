#!/usr/bin/env node
// npm run screenshots: re-takes docs/screenshots/i18n-*.png (login, sign-up and settings in English,
// Japanese and Arabic, light and dark) with playwright-core and /usr/bin/chromium against a real
// server on a temporary SQLite database. See e2e/screenshots/take.ts.
import { spawnSync } from "node:child_process";

const root = new URL("..", import.meta.url).pathname;
const result = spawnSync(process.execPath, ["--import", "tsx", "e2e/screenshots/take.ts"], { cwd: root, stdio: "inherit" });
process.exit(result.status ?? 1);
