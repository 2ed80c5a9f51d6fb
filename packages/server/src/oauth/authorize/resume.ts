// The stored authorization request a login page works for, and that /oauth2/authorize/resume picks
// up again: named by its flow id, live only until it expires.
import type { Context } from "../../context.ts";
import { isFlowId } from "../../input/ids.ts";
import type { AuthFlow } from "../../storage/ports.ts";

/** The live flow `flowId` names, or null: a value of any other shape (NUL, junk, megabytes) never reaches storage. */
export async function loadLiveFlow(ctx: Context, flowId: unknown): Promise<AuthFlow | null> {
  if (!isFlowId(flowId)) return null;
  const flow = await ctx.storage.authFlows.get(flowId);
  return flow && flow.expiresAt > ctx.now() ? flow : null;
}
