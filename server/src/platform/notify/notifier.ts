import type { Config } from '../../config.js';
import { createMailer, type Mailer } from './email.js';
import { createSmsProvider, type SmsProvider } from './sms.js';

/** The outside channels one node sends through. In-app messages need none: they are rows. */
export type Notifier = {
  sms: SmsProvider;
  /** null when SMTP_URL is empty: e-mail is off and no e-mail notifications are created. */
  email: Mailer | null;
  close(): void;
};

export function createNotifier(config: Config): Notifier {
  const sms = createSmsProvider(config);
  const email = createMailer(config);
  return { sms, email, close: () => email?.close() };
}
