// What the sign-in page says to a disabled account whose password was right: when its deletion is
// scheduled, that and the date (so the person knows to ask support to cancel); otherwise the
// operator's disabled message as before.
import type { Context } from "../context.ts";
import type { User } from "../domain/user.ts";
import { disabledMessage } from "../account/ui/field-errors.ts";
import type { Ui } from "../account/ui/respond.ts";

export async function disabledNotice(ctx: Context, ui: Ui, user: Pick<User, "id" | "disabledReason">): Promise<string> {
  const deletion = await ctx.storage.accountDeletions.get(user.id);
  if (!deletion) return disabledMessage(ui.t, user.disabledReason);
  const date = new Intl.DateTimeFormat(ui.locale, { dateStyle: "long", timeZone: "UTC" }).format(new Date(deletion.deleteAt * 1000));
  return ui.t("login.error.deletion_scheduled", { date });
}
