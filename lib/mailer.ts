/** Where mail is sent from: an SMTP URL (`smtp://` or `smtps://`, with credentials) and a sender. */
export interface MailerOptions {
  url: string;
  /** The From header, e.g. `Todo <reminders@example.com>`. */
  from: string;
}

/** One message to send. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Stable per delivery, so a receiving system can tell a resend from a new message. */
  messageId?: string;
}

/** Sends mail; one per process, pooled connections. */
export interface Mailer {
  /** Resolves with the server's reply once it accepted the message; rejects when it did not. */
  send(message: MailMessage): Promise<{ messageId: string; response: string }>;
  close(): Promise<void>;
}
