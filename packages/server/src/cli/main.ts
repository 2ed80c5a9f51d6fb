// gatehouse <command> — the commands (see commands.ts) and their flags are a contract.
import { parseArgs } from "node:util";
import { ConfigError } from "../config/errors.ts";
import type { Config } from "../config/schema.ts";
import { commands, type Command } from "./commands.ts";
import { flags, globalFlags, type FlagName, type FlagValues } from "./flags.ts";
import { commandHelp, mainHelp, usageLine } from "./help.ts";

export { commands };

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: flags, allowPositionals: true, strict: true });
  } catch (err) {
    console.error(`gatehouse: ${(err as Error).message}\n\n${mainHelp(commands)}`);
    return 2;
  }
  const values = parsed.values as FlagValues;
  const words = parsed.positionals[0] === "help" ? parsed.positionals.slice(1) : parsed.positionals;
  const wantsHelp = values.help === true || parsed.positionals[0] === "help";
  const name = words.join(" ");
  if (!name) {
    console.log(mainHelp(commands));
    return wantsHelp ? 0 : 2;
  }
  // A command's words, then its one argument if it takes one (`admin-keys revoke <id-or-name>`).
  const command = commands.find((c) => c.name === name || (c.argument !== undefined && words.length > 1 && c.name === words.slice(0, -1).join(" ")));
  const argument = command && command.name !== name ? words.at(-1) : undefined;
  if (!command) {
    const near = commands.filter((c) => c.name.startsWith(`${words[0]} `)).map((c) => `gatehouse ${c.name}`);
    console.error(`gatehouse: unknown command: ${name}${near.length ? ` (did you mean ${near.join(" or ")}?)` : ""}\n\n${mainHelp(commands)}`);
    return 2;
  }
  if (wantsHelp) {
    console.log(commandHelp(command));
    return 0;
  }
  const stray = (Object.keys(values) as FlagName[]).filter((f) => !command.flags.includes(f) && !globalFlags.includes(f));
  const missing = command.requiredUnless && values[command.requiredUnless] !== undefined ? [] : (command.required ?? []).filter((f) => values[f] === undefined);
  const noArgument = command.argument !== undefined && argument === undefined;
  if (stray.length || missing.length || noArgument) {
    const problem = stray.length ? `${command.name} does not take --${stray.join(", --")}`
      : missing.length ? `${command.name} needs --${missing.join(" and --")}` : `${command.name} needs ${command.argument}`;
    console.error(`gatehouse: ${problem}\nusage: ${usageLine(command)}`);
    return 2;
  }
  return run(command, values, argument);
}

async function run(command: Command, values: FlagValues, argument: string | undefined): Promise<number> {
  try {
    return await command.run(values, argument);
  } catch (err) {
    const { startupProblem } = await import("./startup-problem.ts");
    const known = err instanceof ConfigError ? err.message : startupProblem(err, await configFor(values));
    // Something unforeseen is still one line; --debug shows where it came from.
    const line = known ?? `${(err as Error)?.message ?? String(err)}${values.debug ? "" : " (--debug shows the stack trace)"}`;
    console.error(`gatehouse: ${line}`);
    // util.inspect shows the stack and any cause (a ListenError wraps the listener's own error).
    if (values.debug) console.error(err);
    return 1;
  }
}

/** The config the command ran with, to name its fields in a message; none if it cannot be read. */
async function configFor(values: FlagValues): Promise<Config | undefined> {
  try {
    const { resolveConfig } = await import("./resolve-config.ts");
    return resolveConfig(values).config;
  } catch {
    return undefined;
  }
}
