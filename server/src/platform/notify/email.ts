import nodemailer from 'nodemailer';
import type { Config } from '../../config.js';
import { DeliveryError } from './delivery-error.js';

export type EmailMessage = { to: string; subject: string; text: string; idempotencyKey: string };
export type EmailReceipt = { providerMessageId: string | null };
export type Mailer = {
  readonly name: string;
  send(message: EmailMessage): Promise<EmailReceipt>;
  close(): void;
};

/**
 * E-mail over SMTP with nodemailer. SMTP has no idempotency key, so the event-derived key becomes the
 * Message-ID (and an `X-Idempotency-Key` header): a receiving system that deduplicates by Message-ID drops
 * a resend after a crash. 5xx answers are permanent; 4xx, timeouts and broken connections are retried.
 */
export function smtpMailer(opts: { url: string; from: string }): Mailer {
  const transport = nodemailer.createTransport(
    { url: opts.url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 },
    { from: opts.from },
  );
  return {
    name: 'smtp',
    async send(m) {
      try {
        const info = await transport.sendMail({
          to: m.to,
          subject: m.subject,
          text: m.text,
          messageId: `<${m.idempotencyKey}@tongban>`,
          headers: { 'X-Idempotency-Key': m.idempotencyKey },
        });
        return { providerMessageId: typeof info.messageId === 'string' ? info.messageId : null };
      } catch (err) {
        const e = err as { responseCode?: number; code?: string; message?: string; response?: string };
        const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500;
        const detail = e.response ?? e.message ?? String(err);
        throw new DeliveryError(`SMTP ${e.responseCode ?? e.code ?? 'error'}: ${detail}`, {
          permanent,
          cause: err,
        });
      }
    },
    close: () => transport.close(),
  };
}

/** The mailer SMTP_URL names, or null when e-mail is turned off (no e-mail notifications are created). */
export function createMailer(config: Config): Mailer | null {
  if (!config.SMTP_URL) return null;
  return smtpMailer({ url: config.SMTP_URL, from: config.MAIL_FROM });
}
