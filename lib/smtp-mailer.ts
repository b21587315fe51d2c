import { createTransport } from 'nodemailer';
import type { Mailer, MailerOptions } from './mailer.ts';

/** How long to wait for a TCP connection, the server's greeting and any reply on an open socket. */
export const SMTP_TIMEOUTS_MS = { connection: 10_000, greeting: 10_000, socket: 30_000 } as const;

/**
 * A Mailer over SMTP (nodemailer): a pool of connections to the server of `options.url`
 * (`smtp://` or `smtps://`, credentials in the URL), sending as `options.from`. `send` resolves
 * once the server accepted the message and rejects with nodemailer's error otherwise: an SMTP
 * refusal carries `responseCode` and `permanent`, a connection failure or timeout `code` only.
 */
export function createMailer(options: MailerOptions): Mailer {
  const transport = createTransport({
    url: options.url,
    pool: true,
    connectionTimeout: SMTP_TIMEOUTS_MS.connection,
    greetingTimeout: SMTP_TIMEOUTS_MS.greeting,
    socketTimeout: SMTP_TIMEOUTS_MS.socket,
  });
  return {
    async send(message) {
      const info = await transport.sendMail({
        from: options.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html === undefined ? {} : { html: message.html }),
        ...(message.messageId === undefined ? {} : { messageId: message.messageId }),
        // RFC 3834: machine-written mail, so auto-responders do not answer it.
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
      return { messageId: info.messageId, response: info.response };
    },
    async close() {
      transport.close();
    },
  };
}
