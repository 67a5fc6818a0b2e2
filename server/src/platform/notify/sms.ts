import type { Config } from '../../config.js';
import { ConfigError } from '../../config.js';
import { DeliveryError } from './delivery-error.js';

/**
 * SMS behind one interface. A provider either sends and answers with its message id, or throws a
 * DeliveryError (permanent or not). The idempotency key is derived from the event, the channel and the
 * recipient, and is the same on every attempt, so a gateway that honours it never sends one message twice
 * even when we retry after a crash between its answer and our record of it.
 */
export type SmsMessage = { to: string; text: string; idempotencyKey: string };
export type SmsReceipt = { providerMessageId: string | null };
export type SmsProvider = {
  /** Recorded on the notification row: `outbox` or `http`. */
  readonly name: string;
  send(message: SmsMessage): Promise<SmsReceipt>;
};

/**
 * Sends nothing: the notification row it leaves behind (status sent, provider `outbox`) is the record of
 * what would have gone out, which the SMS outbox page lists. The demo and trials run with it.
 */
export function outboxSmsProvider(): SmsProvider {
  return {
    name: 'outbox',
    send: async (m) => ({ providerMessageId: `outbox:${m.idempotencyKey}` }),
  };
}

export type HttpSmsOptions = { url: string; apiKey: string; timeoutMs?: number };

/**
 * Posts `{ to, text, idempotencyKey }` as JSON with `Authorization: Bearer <key>` and an `Idempotency-Key`
 * header; a 2xx answer may carry `{ id }` or `{ messageId }`. 408, 429, 5xx and network errors are worth
 * retrying; any other 4xx is a permanent refusal.
 */
export function httpSmsProvider(opts: HttpSmsOptions): SmsProvider {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  return {
    name: 'http',
    async send(m) {
      let res: Response;
      try {
        res = await fetch(opts.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${opts.apiKey}`,
            'idempotency-key': m.idempotencyKey,
          },
          body: JSON.stringify({ to: m.to, text: m.text, idempotencyKey: m.idempotencyKey }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        const reason =
          err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : '';
        throw new DeliveryError(`SMS gateway unreachable: ${reason}`, { permanent: false, cause: err });
      }
      const text = await res.text().catch(() => '');
      if (!res.ok) {
        const retryable = res.status === 408 || res.status === 429 || res.status >= 500;
        throw new DeliveryError(`SMS gateway answered HTTP ${res.status}: ${text.slice(0, 200)}`, {
          permanent: !retryable,
        });
      }
      return { providerMessageId: messageIdOf(text) };
    },
  };
}

function messageIdOf(body: string): string | null {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object') {
      const o = parsed as Record<string, unknown>;
      const id = o.id ?? o.messageId;
      if (typeof id === 'string' || typeof id === 'number') return String(id);
    }
  } catch {
    // A 2xx without JSON is still a success; there is just no id to keep.
  }
  return null;
}

/** The provider SMS_PROVIDER names; `http` without SMS_GATEWAY_URL stops the start with a message. */
export function createSmsProvider(config: Config): SmsProvider {
  if (config.SMS_PROVIDER === 'outbox') return outboxSmsProvider();
  if (!config.SMS_GATEWAY_URL) {
    throw new ConfigError(
      'Invalid configuration / 配置错误:\n  SMS_GATEWAY_URL: required when SMS_PROVIDER=http',
    );
  }
  return httpSmsProvider({ url: config.SMS_GATEWAY_URL, apiKey: config.SMS_API_KEY });
}
