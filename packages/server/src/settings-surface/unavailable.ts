// The one refusal of every settings action page: not this user's action, not pending, or no session.
import type { FastifyReply } from "fastify";
import type { Context } from "../context.ts";
import { sendProblemPage, type Ui } from "../account/ui/respond.ts";

export const unavailable = (ctx: Context, reply: FastifyReply, ui: Ui, status = 400): FastifyReply =>
  sendProblemPage(ctx, reply, ui, status, { title: "settings_action.unavailable.title", message: "settings_action.unavailable.message" });
