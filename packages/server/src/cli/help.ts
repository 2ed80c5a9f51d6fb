// Help text, generated from the command and flag tables so that nothing can be left out of it.
import { flags, globalFlags, type FlagName } from "./flags.ts";
import type { Command } from "./commands.ts";

const flagSyntax = (name: FlagName): string => {
  const f = flags[name];
  return f.type === "string" ? `--${name} ${"value" in f ? f.value : "VALUE"}` : `--${name}`;
};

export function usageLine(command: Command): string {
  let parts = command.flags.map((f) => (command.required?.includes(f) ? flagSyntax(f) : `[${flagSyntax(f)}]`));
  const unless = command.requiredUnless;
  if (unless && command.required?.length) {
    // `(--a A --b B | --ndjson FILE)`: either the required flags or the one that stands in for them.
    const first = parts.indexOf(flagSyntax(command.required[0]));
    const rest = parts.filter((p) => !command.required!.some((r) => p === flagSyntax(r)) && p !== `[${flagSyntax(unless)}]`);
    rest.splice(first, 0, `(${command.required.map(flagSyntax).join(" ")} | ${flagSyntax(unless)})`);
    parts = rest;
  }
  return `gatehouse ${command.name}${command.argument ? ` ${command.argument}` : ""}${parts.length ? ` ${parts.join(" ")}` : ""}`;
}

export function mainHelp(commands: Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    "usage: gatehouse <command> [flags]",
    "",
    "commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "flags:",
    ...flagLines([...new Set([...commands.flatMap((c) => c.flags), ...globalFlags])]),
    "",
    "Run `gatehouse <command> --help` for a command's flags.",
    "Environment: GATEHOUSE_CONFIG (config file), PORT (listen port).",
    "Without --config, GATEHOUSE_CONFIG or ./gatehouse.yaml, --demo uses the built-in demo config (what `npm start` runs).",
  ].join("\n");
}

export function commandHelp(command: Command): string {
  return [
    `usage: ${usageLine(command)}`,
    "",
    `${command.summary[0].toUpperCase()}${command.summary.slice(1)}.`,
    "",
    "flags:",
    ...flagLines([...command.flags, ...globalFlags]),
  ].join("\n");
}

function flagLines(names: FlagName[]): string[] {
  const rows = names.map((n) => [`${"short" in flags[n] ? `-${(flags[n] as { short: string }).short}, ` : ""}${flagSyntax(n)}`, flags[n].help]);
  const width = Math.max(...rows.map(([syntax]) => syntax.length));
  return rows.map(([syntax, help]) => `  ${syntax.padEnd(width)}  ${help}`);
}
