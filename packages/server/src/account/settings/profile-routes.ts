// GET/POST /settings/profile: the signed-in user edits the attributes user_profile makes
// `end_user: readwrite`, checked by the one attributes module, and reads the `readonly` ones.
import { clientInfo } from "../../http/client-info.ts";
import { updateProfile } from "../../hooks/user-hooks.ts";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Context } from "../../context.ts";
import type { Caller } from "../../session/caller.ts";
import { applyProfilePatch, editableAttributes, errorInWords, readableProfile } from "../../attributes/profile.ts";
import { announceUserChanged } from "../../session/revocation.ts";
import { acceptForm, pageCsrf, sessionCaller } from "../ui/post.ts";
import { seeOther, sendHtml, uiFor, type Ui } from "../ui/respond.ts";
import { profilePage, type ProfileField } from "./profile-page.ts";

const INPUT_TYPES: Record<string, ProfileField["type"]> = { picture: "url", profile: "url", website: "url", url: "url", email: "email", phone_number: "tel", number: "number", integer: "number" };
const shown = (v: unknown): string => (v === undefined || v === null ? "" : typeof v === "object" ? Object.values(v).join(", ") : String(v));

export function registerProfileRoutes(app: FastifyInstance, ctx: Context): void {
  const profile = ctx.config.user_profile;
  const editable = editableAttributes(profile, "end_user");
  // The address is an object: edited through the admin API and portal, shown here when readable.
  const standard = editable.standard.filter((n) => n !== "address");
  const spec: Record<string, number> = Object.fromEntries([...standard.map((n) => `sa_${n}`), ...editable.custom.map((a) => `ca_${a.pointer.slice(1)}`)].map((n) => [n, 256]));

  function render(request: FastifyRequest, reply: FastifyReply, ui: Ui, caller: Caller, o: { notice?: string; error?: string; status?: number } = {}): FastifyReply {
    const user = caller.user;
    const fields: ProfileField[] = [
      ...standard.map((n): ProfileField => ({ name: `sa_${n}`, attribute: n, standard: true, value: shown(user.standardAttributes[n]), type: INPUT_TYPES[n] ?? "text" })),
      ...editable.custom.map((a): ProfileField => ({
        name: `ca_${a.pointer.slice(1)}`, attribute: a.pointer.slice(1), standard: false, value: shown(user.customAttributes[a.id]), type: INPUT_TYPES[a.type] ?? "text", options: a.type === "enum" ? a.enum : undefined,
      })),
    ];
    const names = new Set(fields.map((f) => f.attribute));
    const readable = readableProfile(profile, user, "end_user");
    const readonly = [
      ...Object.entries(readable.standard_attributes).filter(([n]) => !names.has(n)).map(([n, v]) => ({ attribute: n, standard: true, value: shown(v) })),
      ...Object.entries(readable.custom_attributes).filter(([n]) => !names.has(n)).map(([n, v]) => ({ attribute: n, standard: false, value: shown(v) })),
    ];
    return sendHtml(ctx, reply, profilePage(ui, { csrf: pageCsrf(ctx, request, reply), editable: fields, readonly, notice: o.notice ?? null, error: o.error ?? null }), o.status ?? 200);
  }

  app.get("/settings/profile", async (request, reply) => {
    const caller = await sessionCaller(ctx, request);
    if (!caller) return seeOther(ctx, reply, "/login");
    const ui = uiFor(ctx, request);
    return render(request, reply, ui, caller, { notice: (request.query as Record<string, unknown>).notice === "saved" ? ui.t("profile.saved") : undefined });
  });

  app.post("/settings/profile", async (request, reply) => {
    const form = acceptForm(ctx, request, reply, spec);
    if (!form.ok) return form.reply;
    const caller = await sessionCaller(ctx, request);
    if (!caller) return seeOther(ctx, reply, "/login");
    const value = (raw: string, numeric: boolean): unknown => {
      const v = raw.trim();
      if (v === "") return null;
      return numeric && Number.isFinite(Number(v)) ? Number(v) : v;
    };
    // Only the fields sent are changes: a form that leaves one out does not erase it.
    const sent = (name: string): boolean => Object.prototype.hasOwnProperty.call(request.body ?? {}, name);
    const patch = {
      standard_attributes: Object.fromEntries(standard.filter((n) => sent(`sa_${n}`)).map((n) => [n, value(form.fields[`sa_${n}`], false)])),
      custom_attributes: Object.fromEntries(editable.custom.filter((a) => sent(`ca_${a.pointer.slice(1)}`))
        .map((a) => [a.pointer.slice(1), value(form.fields[`ca_${a.pointer.slice(1)}`], a.type === "number" || a.type === "integer")])),
    };
    // Unchanged empty fields are no change: removing what is not there is not an edit.
    for (const [n, v] of Object.entries(patch.standard_attributes)) if (v === null && caller.user.standardAttributes[n] === undefined) delete patch.standard_attributes[n];
    for (const a of editable.custom) if (patch.custom_attributes[a.pointer.slice(1)] === null && caller.user.customAttributes[a.id] === undefined) delete patch.custom_attributes[a.pointer.slice(1)];
    const r = applyProfilePatch(profile, caller.user, patch, "end_user");
    if (!r.ok) return render(request, reply, form.ui, caller, { error: form.ui.t("profile.error.invalid", { details: r.errors.map(errorInWords).join("; ") }), status: 400 });
    const client = clientInfo(request);
    const saved = await updateProfile(ctx, caller.user, { standardAttributes: r.standardAttributes, customAttributes: r.customAttributes }, { triggeredBy: "user", ip: client.ip, userAgent: client.userAgent });
    if (!saved.ok && "title" in saved) {
      const said = [saved.title, saved.reason].filter((x): x is string => Boolean(x)).join(": ");
      return render(request, reply, form.ui, caller, { error: saved.failed ? form.ui.t("hooks.error.failed") : said || form.ui.t("hooks.error.denied"), status: 403 });
    }
    await announceUserChanged(ctx, caller.user.id);
    return seeOther(ctx, reply, "/settings/profile?notice=saved");
  });
}
