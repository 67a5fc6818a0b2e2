/** Notifications: templates modules register, the channels, and the two stages of sending. */

export { type DeliverOptions, deliverDue } from './deliver.js';
export { DeliveryError, maskEmail, scrubPersonalData } from './delivery-error.js';
export { dispatchOutbox, idempotencyKey } from './dispatch.js';
export { createMailer, type EmailMessage, type Mailer, smtpMailer } from './email.js';
export { createNotifier, type Notifier } from './notifier.js';
export {
  createSmsProvider,
  httpSmsProvider,
  outboxSmsProvider,
  type SmsMessage,
  type SmsProvider,
} from './sms.js';
export {
  hasTemplate,
  type RenderedMessage,
  registerTemplate,
  renderTemplate,
  type SystemNoticePayload,
  type Template,
  type TemplateEnv,
} from './templates.js';
