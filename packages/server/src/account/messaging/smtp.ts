// SMTP through nodemailer: STARTTLS when the server offers it (or TLS from the start with
// `secure: true`), authentication when a user is configured.
import nodemailer from "nodemailer";
import type { Config } from "../../config/schema.ts";
import type { MailMessage } from "./message.ts";

export interface SmtpTransport {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

export function createSmtpTransport(smtp: Config["messaging"]["smtp"]): SmtpTransport {
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    auth: smtp.user ? { user: smtp.user, pass: smtp.password ?? "" } : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(m) {
      await transport.sendMail({ from: smtp.from, to: m.to, subject: m.subject, text: m.text, html: m.html });
    },
    close: () => transport.close(),
  };
}
