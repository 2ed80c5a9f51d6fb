// What the emailed login link opens: GET /login/link?token= shows a button; POST approves the code,
// and the tab that asked for the link (its pending login) goes on. The link alone signs nobody in:
// a mail scanner fetching it approves nothing, and another browser holding it gains nothing.
import type { FastifyInstance } from "fastify";
import type { Context } from "../../context.ts";
import { acceptForm, pageCsrf } from "../ui/post.ts";
import { sendHtml, sendProblemPage, uiFor } from "../ui/respond.ts";
import { linkConfirmPage, linkDonePage } from "./pages.ts";
import { approveLink, LINK_PATH } from "./service.ts";

export function registerLinkRoutes(app: FastifyInstance, ctx: Context): void {
  const invalid = { title: "oob.error.link_invalid_title", message: "oob.error.link_invalid" } as const;
  app.get(LINK_PATH, async (request, reply) => {
    const ui = uiFor(ctx, request);
    const token = (request.query as Record<string, unknown>).token;
    if (typeof token !== "string" || !/^[A-Za-z0-9_-]{43}$/.test(token)) return sendProblemPage(ctx, reply, ui, 400, invalid);
    reply.header("referrer-policy", "no-referrer");
    return sendHtml(ctx, reply, linkConfirmPage(ui, { csrf: pageCsrf(ctx, request, reply), token }));
  });
  app.post(LINK_PATH, async (request, reply) => {
    const form = acceptForm(ctx, request, reply, { token: 64 });
    if (!form.ok) return form.reply;
    if (!(await approveLink(ctx, form.fields.token))) return sendProblemPage(ctx, reply, form.ui, 400, invalid);
    return sendHtml(ctx, reply, linkDonePage(form.ui));
  });
}
