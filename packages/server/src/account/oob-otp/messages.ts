// The email and SMS bodies for codes and links, from the message catalogue.
import { escapeHtml } from "../../http/html.ts";
import { textDirection } from "../messages/negotiate.ts";
import type { Translate } from "../messages/index.ts";
import type { MailMessage } from "../messaging/message.ts";

function mail(t: Translate, to: string, subject: string, text: string, link?: string): MailMessage {
  const lang = t.locale ?? "en";
  const paras = text.split("\n\n").map((p) => `<p>${escapeHtml(p).replace(/\n/g, "<br>")}</p>`).join("\n");
  const html = link ? paras.replace(escapeHtml(link), (l) => `<a href="${l}">${l}</a>`) : paras;
  return { to, subject, text, html: `<!doctype html>\n<html lang="${escapeHtml(lang)}" dir="${textDirection(lang)}"><body>\n${html}\n</body></html>` };
}

export const oobCodeEmail = (t: Translate, to: string, code: string): MailMessage =>
  mail(t, to, t("oob.email.code.subject", { code }), t("oob.email.code.text", { code }));

export const oobLinkEmail = (t: Translate, to: string, link: string): MailMessage =>
  mail(t, to, t("oob.email.link.subject"), t("oob.email.link.text", { link }), link);

/** The last line is the WebOTP/SMS Retriever form (`@host #code`): browsers and phones offer to fill the code in. */
export const oobCodeSms = (t: Translate, code: string, host: string): string => `${t("oob.sms.text", { code })}\n\n@${host} #${code}`;
