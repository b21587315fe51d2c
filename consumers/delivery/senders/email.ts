import { performance } from 'node:perf_hooks';
import type { Mailer } from '../../../lib/mailer.ts';
import type { ChannelSender, DeliveryJob, SendResult } from '../channel-sender.ts';
import { reminderMessage } from './email-message.ts';

/** What nodemailer attaches to a failed send; every field may be missing. */
interface SmtpError {
  message?: unknown;
  code?: unknown;
  responseCode?: unknown;
  permanent?: unknown;
}

/** The reply code at the start of an SMTP response line ("250 2.0.0 OK ..." -> 250). */
function replyCode(response: string): number | null {
  const match = /^([2-5]\d\d)\b/.exec(response);
  return match ? Number(match[1]) : null;
}

/**
 * Whether the server refused this message for good. nodemailer marks that (`permanent`: 5xx
 * but 503); a 5xx without the mark (an older nodemailer) counts too. Everything else, a 4xx,
 * a connection failure or a timeout, is worth another try.
 */
function isPermanent(error: SmtpError): boolean {
  if (typeof error.permanent === 'boolean') return error.permanent;
  return typeof error.responseCode === 'number' && error.responseCode >= 500;
}

function failure(error: unknown, durationMs: number): SendResult {
  const smtp: SmtpError = typeof error === 'object' && error !== null ? error : {};
  const statusCode = typeof smtp.responseCode === 'number' ? smtp.responseCode : null;
  const message = typeof smtp.message === 'string' ? smtp.message : String(error);
  const code = typeof smtp.code === 'string' ? `${smtp.code}: ` : '';
  return {
    outcome: isPermanent(smtp) ? 'failed' : 'retry',
    statusCode,
    error: `${code}${message}`,
    durationMs,
  };
}

/**
 * Delivers reminders by email through `mailer`, to the channel's address (confirmed before the
 * channel was offered to the delivery service). Only `reminder.due` events are mailed; another
 * type fails the delivery with the reason. An accepted message is delivered (status: the
 * server's reply code), a permanent SMTP refusal (5xx) fails it, and a transient one (4xx), a
 * connection failure or a timeout asks for a retry. Never throws.
 */
export function emailSender(mailer: Mailer, options: { publicUrl: string }): ChannelSender {
  return {
    kind: 'email',
    async send(job: DeliveryJob): Promise<SendResult> {
      const started = performance.now();
      const elapsed = () => Math.round(performance.now() - started);
      if (job.event.type !== 'reminder.due') {
        return {
          outcome: 'failed',
          statusCode: null,
          error: `email channels receive reminder.due events only, not ${job.event.type}`,
          durationMs: 0,
        };
      }
      if (!job.channel.emailAddress) {
        return {
          outcome: 'failed',
          statusCode: null,
          error: `channel ${job.channel.id} has no email address`,
          durationMs: 0,
        };
      }
      try {
        const message = reminderMessage(job.event, {
          to: job.channel.emailAddress,
          deliveryId: job.deliveryId,
          publicUrl: options.publicUrl,
        });
        const { response } = await mailer.send(message);
        return {
          outcome: 'delivered',
          statusCode: replyCode(response) ?? 250,
          durationMs: elapsed(),
        };
      } catch (error) {
        return failure(error, elapsed());
      }
    },
  };
}
