import { maskMobile } from '../mask.js';

/**
 * A send that did not go through. `permanent` means trying again cannot help (the gateway refused the
 * request, the mailbox does not exist): the notification is marked failed at once instead of retried.
 */
export class DeliveryError extends Error {
  readonly permanent: boolean;

  constructor(message: string, opts: { permanent: boolean; cause?: unknown }) {
    super(scrubPersonalData(message), opts.cause === undefined ? undefined : { cause: opts.cause });
    this.permanent = opts.permanent;
  }
}

/** A mailbox with the local part reduced to its first character: `z***@example.com`. */
export function maskEmail(s: string): string {
  const at = s.lastIndexOf('@');
  if (at <= 0) return '*'.repeat(Array.from(s).length);
  const local = Array.from(s.slice(0, at));
  return `${local[0]}***${s.slice(at)}`;
}

/**
 * Error texts come from gateways and mail servers that may echo the address back; they are stored and
 * shown to administrators, so mobile numbers and e-mail addresses in them are masked, and they are kept
 * short.
 */
export function scrubPersonalData(text: string): string {
  return text
    .replace(/(?<!\d)1\d{10}(?!\d)/g, (m) => maskMobile(m))
    .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, (m) => maskEmail(m))
    .slice(0, 500);
}
