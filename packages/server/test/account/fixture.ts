// Account tests: the real server over HTTP, with mail going to a real SMTP server in this process
// (the smtp-server package), so the tests read exactly what a person would receive.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { SMTPServer } from "smtp-server";
import { generate } from "otplib";
import { freePort, startTestServer, SPA_CLIENT, type TestServer } from "../support/server.ts";
import { UserAgent } from "../support/user-agent.ts";

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface Inbox {
  port: number;
  messages: Mail[];
  /** Waits for the next message to `to` that arrives after `since` messages. */
  next(to: string, options?: { since?: number; timeoutMs?: number }): Promise<Mail>;
  close(): Promise<void>;
}

/** Decodes what nodemailer sends: quoted-printable or base64 text parts are enough here. */
function plainText(raw: string): { subject: string; text: string } {
  const subject = /^Subject: (.*)$/m.exec(raw)?.[1] ?? "";
  const part = /Content-Type: text\/plain[^\r\n]*\r?\n(?:[^\r\n]+\r?\n)*?Content-Transfer-Encoding: ([\w-]+)\r?\n\r?\n([\s\S]*?)\r?\n(?:--|$)/i.exec(raw);
  if (!part) return { subject, text: raw };
  const [, encoding, body] = part;
  const text = encoding.toLowerCase() === "base64"
    ? Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8")
    : encoding.toLowerCase() === "quoted-printable"
      ? Buffer.from(body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), "latin1").toString("utf8")
      : body;
  return { subject: decodeSubject(subject), text };
}

function decodeSubject(s: string): string {
  return s.replace(/=\?utf-8\?Q\?(.*?)\?=/gi, (_m, q: string) => Buffer.from(q.replace(/_/g, " ").replace(/=([0-9A-F]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), "latin1").toString("utf8")).replace(/\s+(?==\?)/g, "");
}

export async function startInbox(): Promise<Inbox> {
  const messages: Mail[] = [];
  const waiters = new Set<() => void>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const { subject, text } = plainText(Buffer.concat(chunks).toString("utf8"));
        for (const rcpt of session.envelope.rcptTo) messages.push({ to: rcpt.address, subject, text });
        for (const w of waiters) w();
        callback();
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    port,
    messages,
    async next(to, options = {}) {
      const since = options.since ?? 0;
      const deadline = Date.now() + (options.timeoutMs ?? 5000);
      for (;;) {
        const found = messages.slice(since).reverse().find((m) => m.to.toLowerCase() === to.toLowerCase());
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no mail to ${to} (have: ${messages.map((m) => m.to).join(", ")})`);
        await new Promise<void>((resolve) => {
          const w = (): void => { waiters.delete(w); resolve(); };
          waiters.add(w);
          setTimeout(w, 100);
        });
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface AccountFixture {
  server: TestServer;
  inbox: Inbox;
  close(): Promise<void>;
}

export async function setupAccounts(config: Record<string, unknown> = {}): Promise<AccountFixture> {
  const inbox = await startInbox();
  const server = await startTestServer({
    config: { messaging: { smtp: { host: "127.0.0.1", port: inbox.port, from: "Gatehouse <no-reply@gatehouse.test>" } }, ...config },
  });
  return { server, inbox, async close() { await server.close(); await inbox.close(); } };
}

export const codeIn = (mail: Mail): string => /\b(\d{6})\b/.exec(mail.text)![1];
export const linkIn = (mail: Mail): string => /(https?:\/\/\S+\/reset\?token=\S+)/.exec(mail.text)![1];

export async function totpNow(secret: string, epoch: number): Promise<string> {
  return generate({ secret, epoch });
}

export const csrfOf = (html: string): string => /name="csrf" value="([^"]+)"/.exec(html)![1];

/** POSTs a form with the agent's cookies and a same-origin Origin header (what a browser sends). */
export async function post(agent: UserAgent, url: string, fields: Record<string, string>): Promise<Response> {
  return agent.request(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: new URL(url).origin }, body: new URLSearchParams(fields) });
}

export const VERIFIER = "gatehouse-account-tests-pkce-verifier-0123456789";

/** Starts an authorization request (PKCE with VERIFIER) and returns the login page: URL, HTML, flow id. */
export async function openLogin(s: TestServer, agent: UserAgent): Promise<{ url: string; html: string; flow: string }> {
  const url = new URL(`${s.url}/oauth2/authorize`);
  const challenge = createHash("sha256").update(VERIFIER).digest("base64url");
  url.search = new URLSearchParams({ client_id: SPA_CLIENT.client_id, redirect_uri: SPA_CLIENT.redirect_uris[0], response_type: "code", scope: "openid offline_access", code_challenge: challenge, code_challenge_method: "S256" }).toString();
  const res = await agent.follow(url.toString(), s.url);
  return { url: res.url, html: await res.response.text(), flow: new URL(res.url).searchParams.get("flow") ?? "" };
}

/** Follows a login's final redirect (303 to resume) to the app and exchanges the code for tokens. */
export async function finishAtApp(s: TestServer, agent: UserAgent, response: Response): Promise<Record<string, unknown> & { access_token: string; claims: Record<string, unknown> }> {
  assert.equal(response.status, 303, `expected the login to finish, got ${response.status}`);
  const done = await agent.follow(new URL(response.headers.get("location")!, s.url).toString(), s.url);
  const code = new URL(done.url).searchParams.get("code");
  assert.ok(code, `no code in ${done.url}`);
  const res = await fetch(`${s.url}/oauth2/token`, {
    method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: SPA_CLIENT.redirect_uris[0], client_id: SPA_CLIENT.client_id, code_verifier: VERIFIER }),
  });
  const body = (await res.json()) as Record<string, unknown> & { access_token: string };
  assert.equal(res.status, 200, JSON.stringify(body));
  return { ...body, claims: JSON.parse(Buffer.from(body.access_token.split(".")[1], "base64url").toString()) };
}

/** Signs in with email + password on the login page of a fresh authorization request. */
export async function submitLogin(s: TestServer, agent: UserAgent, email: string, password: string): Promise<Response> {
  const { html, flow } = await openLogin(s, agent);
  return post(agent, `${s.url}/login`, { csrf: csrfOf(html), flow, email, password });
}

export async function getPage(agent: UserAgent, url: string): Promise<{ status: number; html: string }> {
  const res = await agent.request(url);
  return { status: res.status, html: await res.text() };
}

export const errorOf = (html: string): string | null => /<p class="error"[^>]*>([^<]*)</.exec(html)?.[1] ?? null;

export { UserAgent, SPA_CLIENT };
