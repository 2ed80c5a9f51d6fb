// A progress line on a terminal (never in a pipe or a log file: no \r noise there), and the summary.
import type { Tally } from "./tally.ts";

export interface Progress {
  update(done: number): void;
  finish(): void;
}

export function progressBar(label: string, total: number, out: NodeJS.WriteStream = process.stdout): Progress {
  if (!out.isTTY || total === 0) return { update: () => undefined, finish: () => undefined };
  const started = Date.now();
  let last = 0;
  const draw = (done: number): void => {
    const width = 30;
    const filled = Math.min(width, Math.round((done / total) * width));
    const rate = done / Math.max(0.001, (Date.now() - started) / 1000);
    out.write(`\r${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done.toLocaleString("en")}/${total.toLocaleString("en")}  ${Math.round(rate).toLocaleString("en")}/s `);
  };
  return {
    update(done) {
      if (Date.now() - last < 100 && done < total) return;
      last = Date.now();
      draw(done);
    },
    finish() {
      out.write("\n");
    },
  };
}

export function summary(t: Tally, o: { dryRun: boolean; seconds: number; users: number; notCarried: string[] }): string {
  const lines: string[] = [o.dryRun ? "Dry run: nothing was written. It would have:" : "Imported:"];
  for (const [kind, n] of t.written) lines.push(`  ${kind}: ${n.toLocaleString("en")}`);
  lines.push(`  (${o.users.toLocaleString("en")} users read in ${o.seconds.toFixed(1)} s: ${Math.round(o.users / Math.max(o.seconds, 0.001)).toLocaleString("en")} users/s)`);
  if (t.skipReasons.size > 0) {
    lines.push("Skipped:");
    for (const [reason, n] of t.skipReasons) lines.push(`  ${n.toLocaleString("en")} × ${reason}`);
    lines.push("  first ones:");
    for (const s of t.skipped.slice(0, 20)) lines.push(`    ${s.id}: ${s.reason}`);
  }
  if (t.notes.size > 0 || o.notCarried.length > 0) {
    lines.push("Not carried over:");
    for (const [what, n] of t.notes) lines.push(`  ${n.toLocaleString("en")} × ${what}`);
    for (const c of o.notCarried) lines.push(`  ${c}`);
  }
  return `${lines.join("\n")}\n`;
}
