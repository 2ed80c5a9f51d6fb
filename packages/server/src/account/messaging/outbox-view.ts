// The local outbox, for people: the development page (/_dev/outbox) and `gatehouse outbox`.
import { escapeHtml } from "../../http/html.ts";
import type { OutboxMessage } from "../../domain/account.ts";
import { accountPage } from "../ui/layout.ts";
import type { Ui } from "../ui/respond.ts";
import type { Translate } from "../messages/index.ts";
import type { Context } from "../../context.ts";

export const OUTBOX_PATH = "/_dev/outbox";

/** Mail stays in the local outbox (no SMTP) and the outbox page is served: pages may point at it. */
export const outboxShown = (ctx: Pick<Context, "config">): boolean => ctx.config.messaging.dev_outbox_page && !ctx.config.messaging.smtp.host;

/** On a "check your email" page: where the email went, when it went nowhere (a new tab keeps the form). */
export const outboxNotice = (t: Translate, shown: boolean): string =>
  shown ? `<p class="notice"><a href="${OUTBOX_PATH}" target="_blank" rel="noopener">${escapeHtml(t("outbox.notice"))}</a></p>` : "";

const iso = (seconds: number): string => new Date(seconds * 1000).toISOString().replace(".000Z", "Z");

export function outboxPage(ui: Ui, messages: OutboxMessage[]): string {
  const { t } = ui;
  const items = messages.map((m) => `<article><h2>${escapeHtml(m.subject)}</h2>
<p class="muted">${escapeHtml(t("outbox.to", { to: m.to, at: iso(m.createdAt) }))}</p>
<pre>${escapeHtml(m.text)}</pre></article>`);
  return accountPage({
    ...ui,
    wide: true,
    title: t("outbox.title"),
    body: `<h1>${escapeHtml(t("outbox.heading"))}</h1>\n<p class="muted">${escapeHtml(t("outbox.intro"))}</p>\n${items.length ? items.join("\n<hr>\n") : `<p>${escapeHtml(t("outbox.empty"))}</p>`}`,
  });
}

/** Plain text for the terminal, newest first. */
export function formatOutbox(messages: OutboxMessage[]): string {
  if (messages.length === 0) return "The outbox is empty.\n";
  return messages.map((m) => `--- #${m.id}  ${iso(m.createdAt)}\nTo: ${m.to}\nSubject: ${m.subject}\n\n${m.text}\n`).join("\n");
}

