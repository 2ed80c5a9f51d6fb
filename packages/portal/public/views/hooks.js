// Webhooks: the handlers configured under `hook` (blocking and non-blocking), each linking to its own
// page with its recent deliveries. Handlers come from the config file, so this page only reads them.
import { h, badge, notice, spinner, table } from "../dom.js";
import * as api from "../api.js";

/** Every configured handler once, by URL: the events it gets and whether it blocks. */
export function handlersOf(config) {
  const byUrl = new Map();
  const get = (url) => byUrl.get(url) ?? byUrl.set(url, { url, blockingEvents: [], events: [] }).get(url);
  for (const b of config.blocking_handlers) get(b.url).blockingEvents.push(b.event);
  for (const n of config.non_blocking_handlers) get(n.url).events.push(...n.events);
  return [...byUrl.values()];
}

export const handlerHref = (url) => `#/hooks/${encodeURIComponent(url)}`;

export function kindBadges(handler) {
  return [
    handler.blockingEvents.length ? badge("Blocking", "info") : null,
    handler.events.length ? badge("Non-blocking", "neutral") : null,
  ];
}

export async function renderHooks(view, { signal }) {
  const body = h("div", { class: "results" }, spinner("Loading webhooks…"));
  view.append(h("div", { class: "page-header" },
    h("div", {},
      h("h1", {}, "Webhooks"),
      h("p", { class: "muted" }, "The handlers configured under ", h("code", {}, "hook"),
        " in the server's configuration. Open one to see its recent deliveries and send it a test event."))),
  body);

  const config = await api.hooks.handlers();
  if (signal.aborted) return;
  const handlers = handlersOf(config);
  if (handlers.length === 0) {
    body.replaceChildren(h("p", { class: "empty muted" }, "No webhook is configured. Add handlers under ",
      h("code", {}, "hook.non_blocking_handlers"), " or ", h("code", {}, "hook.blocking_handlers"), " in the configuration."));
    return;
  }
  body.replaceChildren(table({
    caption: "Webhook handlers",
    className: "hooks-table",
    rows: handlers.map((x) => ({ data: x, attrs: { "data-handler": x.url } })),
    columns: [
      { label: "Handler", render: (x) => h("a", { href: handlerHref(x.url), class: "mono break" }, x.url) },
      { label: "Events", render: (x) => h("div", { class: "cell-stack" }, [...x.blockingEvents, ...x.events].map((e) => h("code", { class: "small" }, e === "*" ? "* (every event)" : e))) },
      { label: "Kind", render: (x) => h("div", { class: "badges" }, kindBadges(x)) },
    ],
  }));
}

/** Shown when the admin API cannot be read (kept here so both hook views word it alike). */
export const loadError = (err) => notice(api.errorMessage(err), "error");
