// One webhook handler: its recent deliveries from the outbox (event, status, attempts, latency, the
// receiver's answer), filtered by status, Replay on a dead or failing one, and "Send test event",
// which posts a signed x_gatehouse.test event at once and lists the receiver's answer here (test
// events are not stored in the outbox, so this list lasts as long as the page).
import { h, badge, nextId, notice, spinner, table, time, icon } from "../dom.js";
import * as api from "../api.js";
import { handlersOf, kindBadges, loadError } from "./hooks.js";

const STATUSES = { pending: "Pending", delivered: "Delivered", dead: "Dead" };
const TONES = { pending: "info", delivered: "success", dead: "danger" };
const EXCERPT = 200;

const excerpt = (text) => (text.length > EXCERPT ? `${text.slice(0, EXCERPT)}…` : text);
const latency = (ms) => (ms === null || ms === undefined ? h("span", { class: "muted" }, "—") : `${ms} ms`);

/** The receiver's last answer: its status code (or the network error) and the start of its body. */
function answer(statusCode, error, response) {
  return h("div", { class: "cell-stack" },
    statusCode !== null ? h("span", { class: "strong" }, `HTTP ${statusCode}`) : null,
    error ? h("span", { class: "break" }, error) : null,
    response ? h("code", { class: "small break", title: response }, excerpt(response)) : null,
    statusCode === null && !error && !response ? h("span", { class: "muted" }, "Not tried yet") : null);
}

/** Dead ones, and pending ones whose last try failed, can be sent again now. */
const replayable = (d) => d.status === "dead" || (d.status === "pending" && d.attempts > 0);

export async function renderHook(view, { arg: url, params, signal, navigate, setTitle }) {
  const status = params.get("status") || "";
  view.append(h("a", { href: "#/hooks", class: "back-link" }, icon("back"), "All webhooks"));
  const config = await api.hooks.handlers();
  if (signal.aborted) return;
  const handler = handlersOf(config).find((x) => x.url === url);
  if (!handler) {
    view.append(h("h1", {}, "Webhook"), notice("No handler with this URL is configured.", "error"));
    return;
  }
  setTitle(`Webhook ${url}`);
  const say = h("div", { class: "page-status" });
  view.append(h("div", { class: "page-header" },
    h("div", {},
      h("h1", { class: "break mono" }, url),
      h("div", { class: "badges" }, kindBadges(handler)))),
  say);

  const events = h("dl", { class: "props" },
    handler.events.length ? h("div", { class: "prop" }, h("dt", {}, "Events delivered"), h("dd", {}, handler.events.join(", "))) : null,
    handler.blockingEvents.length ? h("div", { class: "prop" }, h("dt", {}, "Blocking events"), h("dd", {}, handler.blockingEvents.join(", "))) : null);
  view.append(h("section", { class: "card card-wide", "aria-labelledby": "handler-h" }, h("h2", { id: "handler-h" }, "Handler"), events));

  // Send test event: answered at once, listed newest first.
  const tests = [];
  const testList = h("div", {});
  const testButton = h("button", { type: "button", class: "btn btn-primary", onClick: sendTest }, "Send test event");
  view.append(h("section", { class: "card card-wide", "aria-labelledby": "test-h" },
    h("div", { class: "card-header" },
      h("div", {},
        h("h2", { id: "test-h" }, "Test events"),
        h("p", { class: "muted small" }, "A signed ", h("code", {}, "x_gatehouse.test"), " event posted to this handler now. Its answer is shown here; test events are not stored.")),
      testButton),
    testList));

  async function sendTest() {
    testButton.disabled = true;
    testButton.textContent = "Sending…";
    try {
      const r = await api.hooks.test(url);
      if (signal.aborted) return;
      tests.unshift({ ...r, at: new Date().toISOString() });
      showTests();
      say.replaceChildren(notice(r.ok ? `Test event delivered (HTTP ${r.status_code}, ${r.latency_ms} ms).` : `Test event failed: ${r.error ?? `HTTP ${r.status_code}`}.`, r.ok ? "success" : "error"));
    } catch (err) {
      if (!signal.aborted) say.replaceChildren(loadError(err));
    } finally {
      testButton.disabled = false;
      testButton.textContent = "Send test event";
    }
  }
  function showTests() {
    testList.replaceChildren(table({
      caption: "Test events sent from this page",
      className: "hook-tests-table",
      rows: tests.map((t) => ({ data: t })),
      columns: [
        { label: "Sent", render: (t) => time(t.at) },
        { label: "Result", render: (t) => badge(t.ok ? "Delivered" : "Failed", t.ok ? "success" : "danger") },
        { label: "Latency", render: (t) => latency(t.latency_ms) },
        { label: "Response", render: (t) => answer(t.status_code, t.error, t.response) },
      ],
    }));
  }

  if (!handler.events.length) {
    view.append(h("p", { class: "muted" }, "Blocking handlers are called during the request that triggers them; those calls are not kept as deliveries."));
    return;
  }

  // Recent deliveries from the outbox.
  const field = nextId("hook-status");
  const select = h("select", { id: field, name: "status" },
    h("option", { value: "" }, "All statuses"),
    Object.entries(STATUSES).map(([value, label]) => h("option", { value, selected: value === status }, label)));
  const results = h("div", { class: "results" }, spinner("Loading deliveries…"));
  view.append(h("section", { class: "card card-wide", "aria-labelledby": "deliveries-h" },
    h("div", { class: "card-header" },
      h("h2", { id: "deliveries-h", tabindex: "-1" }, "Recent deliveries"),
      h("button", { type: "button", class: "btn btn-ghost", onClick: () => load() }, "Refresh")),
    h("form", {
      class: "filters", role: "search", "aria-label": "Filter deliveries",
      onSubmit: (e) => {
        e.preventDefault();
        navigate(`#/hooks/${encodeURIComponent(url)}${select.value ? `?status=${select.value}` : ""}`);
      },
    },
    h("div", { class: "field" }, h("label", { for: field }, "Status"), select),
    h("div", { class: "field field-submit" }, h("button", { type: "submit", class: "btn" }, "Filter"))),
    results));

  async function load() {
    let page;
    try {
      page = await api.hooks.deliveries({ handler: url, status: status || undefined });
    } catch (err) {
      if (!signal.aborted) results.replaceChildren(loadError(err));
      return;
    }
    if (signal.aborted) return;
    if (page.items.length === 0) {
      results.replaceChildren(h("p", { class: "empty muted" }, status ? `No ${STATUSES[status]?.toLowerCase() ?? status} deliveries.` : "Nothing has been sent to this handler yet."));
      return;
    }
    results.replaceChildren(table({
      caption: `Recent deliveries to ${url}`,
      className: "deliveries-table",
      rows: page.items.map((d) => ({ data: d, attrs: { "data-delivery": d.id } })),
      columns: [
        { label: "Event", render: (d) => h("div", { class: "cell-stack" }, h("code", { class: "strong" }, d.type), h("span", { class: "mono muted small" }, d.event_id)) },
        { label: "Status", render: (d) => badge(STATUSES[d.status] ?? d.status, TONES[d.status]) },
        { label: "Attempts", render: (d) => String(d.attempts) },
        { label: "Latency", render: (d) => latency(d.last_latency_ms) },
        { label: "Response", render: (d) => answer(d.last_status_code, d.last_error, d.last_response) },
        { label: "Time", render: (d) => h("div", { class: "cell-stack" }, time(d.created_at), d.delivered_at ? h("span", { class: "muted small" }, "Delivered ", time(d.delivered_at)) : null) },
        {
          label: "Actions", className: "col-actions", render: (d) => (replayable(d) ? h("button", {
            type: "button", class: "btn btn-small", "aria-label": `Replay ${d.type} delivery ${d.id}`,
            onClick: async (e) => {
              e.currentTarget.disabled = true;
              try {
                await api.hooks.replay(d.id);
                if (signal.aborted) return;
                say.replaceChildren(notice(`Delivery ${d.id} (${d.type}) will be sent again now.`, "success"));
              } catch (err) {
                if (!signal.aborted) say.replaceChildren(loadError(err));
              }
              await load();
            },
          }, "Replay") : h("span", { class: "muted" }, "—")),
        },
      ],
    }));
  }
  await load();
}
