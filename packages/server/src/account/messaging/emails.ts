// The emails we send, built from the message catalogue. The HTML part is the text part, escaped,
// with the link made clickable: nothing in it is remote (no images, no tracking).
import { escapeHtml } from "../../http/html.ts";
import { textDirection } from "../messages/negotiate.ts";
import type { MessageKey, Params, Translate } from "../messages/index.ts";
import type { MailMessage } from "./message.ts";

function build(t: Translate, to: string, subject: MessageKey, text: MessageKey, params: Params, link?: string): MailMessage {
  const body = t(text, params);
  const html = body
    .split("\n\n")
    .map((para) => `<p>${escapeHtml(para).replace(/\n/g, "<br>")}</p>`)
    .join("\n")
    .replace(link ? escapeHtml(link) : "\u0000", (l) => `<a href="${l}">${l}</a>`);
  const lang = t.locale ?? "en";
  const head = `<html lang="${escapeHtml(lang)}" dir="${textDirection(lang)}">`;
  return { to, subject: t(subject, params), text: body, html: `<!doctype html>\n${head}<body>\n${html}\n</body></html>` };
}

export const verificationEmail = (t: Translate, to: string, code: string): MailMessage =>
  build(t, to, "email.verify.subject", "email.verify.text", { code });

export const resetEmail = (t: Translate, to: string, code: string, link: string): MailMessage =>
  build(t, to, "email.reset.subject", "email.reset.text", { code, link }, link);

export const signupTakenEmail = (t: Translate, to: string): MailMessage =>
  build(t, to, "email.signup_taken.subject", "email.signup_taken.text", {});
