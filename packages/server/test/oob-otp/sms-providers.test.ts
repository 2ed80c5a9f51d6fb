// The SMS port against local HTTP servers that check each request exactly as the provider
// documents it: Twilio's Messages API (POST /2010-04-01/Accounts/{AccountSid}/Messages.json, HTTP
// Basic auth AccountSid:AuthToken, form body To, Body and MessagingServiceSid or From; 201 Created)
// and the custom webhook (JSON {to, body}, hex HMAC-SHA256 of the body in x-authgear-body-signature).
// The real transports and fetch go over real sockets; only the host is redirected.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { createHmac } from "node:crypto";
import { twilioTransport, TWILIO_API } from "../../src/messaging/sms/twilio.ts";
import { customTransport, SIGNATURE_HEADER } from "../../src/messaging/sms/custom-webhook.ts";
import { parseConfig } from "../../src/config/load.ts";
import { freePort } from "../support/server.ts";

const SID = "AC" + "0123456789abcdef".repeat(2);
const TOKEN = "twilio-auth-token-for-tests";
const MG = "MG" + "fedcba9876543210".repeat(2);

interface Seen { method: string; url: string; headers: IncomingMessage["headers"]; body: string }

async function listen(answer: (seen: Seen) => { status: number; body: string }): Promise<{ server: Server; url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const s = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      seen.push(s);
      const a = answer(s);
      res.writeHead(a.status, { "content-type": "application/json" }).end(a.body);
    });
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  return { server, url: `http://127.0.0.1:${port}`, seen };
}

/** Sends what would go to api.twilio.com to the local server instead, unchanged otherwise. */
const redirect = (base: string): typeof fetch => (input, init) => fetch(String(input).replace(TWILIO_API, base), init);

describe("Twilio", () => {
  let t: Awaited<ReturnType<typeof listen>>;
  before(async () => {
    t = await listen((s) => {
      // What Twilio checks: the account in the path matches the Basic credentials; To and Body are there.
      const auth = Buffer.from((s.headers.authorization ?? "").replace(/^Basic /, ""), "base64").toString();
      const form = new URLSearchParams(s.body);
      const ok = s.method === "POST" && s.url === `/2010-04-01/Accounts/${SID}/Messages.json` && auth === `${SID}:${TOKEN}`
        && s.headers["content-type"] === "application/x-www-form-urlencoded" && /^\+[1-9]\d{6,14}$/.test(form.get("To") ?? "")
        && (form.get("Body") ?? "") !== "" && (form.has("MessagingServiceSid") !== form.has("From"));
      if (!ok) return { status: 401, body: JSON.stringify({ code: 20003, message: "Authenticate", status: 401 }) };
      if (form.get("To") === "+15005550001") return { status: 400, body: JSON.stringify({ code: 21211, message: "The 'To' number is not a valid phone number.", status: 400 }) };
      return { status: 201, body: JSON.stringify({ sid: "SM" + "0".repeat(32), status: "queued" }) };
    });
  });
  after(async () => { await new Promise((r) => t.server.close(r)); });

  it("sends with a Messaging Service exactly as the API documents", async () => {
    await twilioTransport({ account_sid: SID, auth_token: TOKEN, message_service_sid: MG }, redirect(t.url)).send({ to: "+85261234567", body: "123456 is your sign-in code." });
    const last = t.seen.at(-1)!;
    assert.deepEqual(Object.fromEntries(new URLSearchParams(last.body)), { To: "+85261234567", Body: "123456 is your sign-in code.", MessagingServiceSid: MG });
  });

  it("or with a From number", async () => {
    await twilioTransport({ account_sid: SID, auth_token: TOKEN, from: "+15005550006" }, redirect(t.url)).send({ to: "+85261234567", body: "x" });
    assert.equal(new URLSearchParams(t.seen.at(-1)!.body).get("From"), "+15005550006");
  });

  it("a refusal is an error naming Twilio's code, never the token", async () => {
    const bad = twilioTransport({ account_sid: SID, auth_token: "wrong", message_service_sid: MG }, redirect(t.url));
    await assert.rejects(bad.send({ to: "+85261234567", body: "x" }), (e: Error) => /HTTP 401 \(20003 Authenticate\)/.test(e.message) && !e.message.includes("wrong"));
    const invalid = twilioTransport({ account_sid: SID, auth_token: TOKEN, message_service_sid: MG }, redirect(t.url));
    await assert.rejects(invalid.send({ to: "+15005550001", body: "x" }), /21211/);
  });
});

describe("custom SMS webhook", () => {
  const secret = "a-webhook-signing-secret-of-32-chars!!";
  let w: Awaited<ReturnType<typeof listen>>;
  before(async () => {
    w = await listen((s) => {
      const expected = createHmac("sha256", secret).update(s.body).digest("hex");
      return s.headers[SIGNATURE_HEADER] === expected && s.headers["content-type"] === "application/json" ? { status: 200, body: "{}" } : { status: 403, body: "{}" };
    });
  });
  after(async () => { await new Promise((r) => w.server.close(r)); });

  it("POSTs {to, body} signed with HMAC-SHA256", async () => {
    await customTransport({ url: `${w.url}/sms`, timeout: 5, signing_secret: secret }, fetch).send({ to: "+85261234567", body: "hi" });
    assert.deepEqual(JSON.parse(w.seen.at(-1)!.body), { to: "+85261234567", body: "hi" });
    await assert.rejects(customTransport({ url: `${w.url}/sms`, timeout: 5, signing_secret: "another-secret-that-is-32-chars-long" }, fetch).send({ to: "+1", body: "x" }), /HTTP 403/);
  });
});

describe("SMS provider config", () => {
  it("names Authgear's fields and refuses what cannot work", () => {
    assert.throws(() => parseConfig({ messaging: { sms_provider: "twilio" } }), /messaging\.twilio: sms_provider is twilio/);
    assert.throws(() => parseConfig({ messaging: { sms_provider: "twilio", twilio: { account_sid: "nope", auth_token: "x", from: "+15005550006" } } }), /account_sid: must be a Twilio Account SID/);
    assert.throws(() => parseConfig({ messaging: { sms_provider: "twilio", twilio: { account_sid: SID, auth_token: "x" } } }), /needs message_service_sid or from/);
    assert.throws(() => parseConfig({ messaging: { sms_provider: "custom", custom_sms_provider: { url: "ftp://x", signing_secret: "s".repeat(32) } } }), /http\(s\) URL/);
    assert.throws(() => parseConfig({ authentication: { primary_authenticators: ["oob_otp_sms"] } }), /oob_otp_sms needs a login ID of type phone/);
    assert.throws(() => parseConfig({ authenticator: { oob_otp: { email: { email_otp_mode: "magic" } } } }), /email_otp_mode/);
    const c = parseConfig({ messaging: { sms_provider: "twilio", twilio: { account_sid: SID, auth_token: TOKEN, message_service_sid: MG } } });
    assert.equal(c.authentication.rate_limits.oob_otp.sms.trigger_cooldown, 60);
    assert.equal(c.authentication.rate_limits.oob_otp.email.max_failed_attempts_revoke_otp, 5);
  });
});

describe("SMS credentials from the secrets file (Authgear's sms.twilio and sms.custom)", () => {
  it("land in messaging.twilio / custom_sms_provider and win over the config", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const { loadConfigFile } = await import("../../src/config/load.ts");
    const dir = mkdtempSync(join(tmpdir(), "gh-sms-secrets-"));
    writeFileSync(join(dir, "c.yaml"), `messaging:\n  sms_provider: twilio\n  twilio: { account_sid: "${SID}", auth_token: "from-config", from: "+15005550006" }\n`);
    writeFileSync(join(dir, "s.yaml"), `secrets:\n  - key: sms.twilio\n    data: { account_sid: "${SID}", auth_token: "${TOKEN}", message_service_sid: "${MG}" }\n  - key: sms.custom\n    data: { url: "https://sms.example/send", timeout: 5, signing_secret: "${"k".repeat(32)}" }\n`);
    const c = loadConfigFile(join(dir, "c.yaml"), { secretsFile: join(dir, "s.yaml") });
    assert.equal(c.messaging.twilio?.auth_token, TOKEN);
    assert.equal(c.messaging.twilio?.message_service_sid, MG);
    assert.equal(c.messaging.custom_sms_provider?.url, "https://sms.example/send");
    writeFileSync(join(dir, "bad.yaml"), `secrets:\n  - key: sms.twilio\n    data: "nope"\n`);
    assert.throws(() => loadConfigFile(join(dir, "c.yaml"), { secretsFile: join(dir, "bad.yaml") }), /secrets\[0\]\.data: sms\.twilio needs an object/);
  });
});
