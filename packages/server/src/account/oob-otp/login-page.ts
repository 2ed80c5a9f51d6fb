// What the password login page needs from here: a link to sign in with a code instead, and whether
// the password page is switched off (primary_authenticators without `password`).
import { escapeHtml } from "../../http/html.ts";
import type { Context } from "../../context.ts";
import type { Ui } from "../ui/respond.ts";
import { primaryChannels } from "./primary-routes.ts";

const flowQuery = (flowId: string | null): string => (flowId ? `?flow=${encodeURIComponent(flowId)}` : "");

/** The "sign in with a code instead" link, when codes are a first factor. */
export function oobLoginLink(ui: Ui, ctx: Pick<Context, "config">, flowId: string | null): string {
  if (primaryChannels(ctx).length === 0) return "";
  return `<p class="alt"><a href="/login/otp${flowQuery(flowId)}">${escapeHtml(ui.t("oob.start.link"))}</a></p>\n`;
}

/** Where the password pages send people when a password is no first factor: the code page, else null (stay). */
export function passwordPagesOff(ctx: Pick<Context, "config">, flowId: string | null): string | null {
  if (ctx.config.authentication.primary_authenticators.includes("password") || primaryChannels(ctx).length === 0) return null;
  return `/login/otp${flowQuery(flowId)}`;
}
