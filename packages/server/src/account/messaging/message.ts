// One email, as the templates build it and the transports (SMTP, outbox) send it.
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}
