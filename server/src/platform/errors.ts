import { type Locale, translate } from './i18n.js';

/** Every expected failure has a code; the code alone decides the HTTP status. */
export const errorStatus = {
  VALIDATION: 400,
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  ACCOUNT_LOCKED: 423,
  CSRF: 403,
  FORBIDDEN: 403,
  AUTH_LETTER_REQUIRED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  VERSION_CONFLICT: 409,
  IDEMPOTENCY_IN_PROGRESS: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

/** One field that failed a rule; `rule` is machine-readable, the message is in both languages. */
export type FieldError = {
  field: string;
  rule: string;
  /** i18n key of the message, with its parameters. */
  key: string;
  params?: Record<string, string | number>;
};

export type ErrorDetails = {
  fields?: FieldError[];
  [k: string]: unknown;
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly key: string;
  readonly params: Record<string, string | number>;
  readonly details: ErrorDetails | undefined;

  constructor(
    code: ErrorCode,
    key: string,
    params: Record<string, string | number> = {},
    details?: ErrorDetails,
  ) {
    super(`${code}: ${translate('en-US', key, params)}`);
    this.code = code;
    this.key = key;
    this.params = params;
    this.details = details;
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

/** A 400 that names one field and the rule it broke. */
export function fieldError(
  field: string,
  rule: string,
  key: string,
  params: Record<string, string | number> = {},
): AppError {
  return new AppError('VALIDATION', 'error.validation', {}, { fields: [{ field, rule, key, params }] });
}

export function notFound(what: string): AppError {
  return new AppError('NOT_FOUND', 'error.notFound', { what });
}

export function forbidden(key = 'error.forbidden', params: Record<string, string | number> = {}): AppError {
  return new AppError('FORBIDDEN', key, params);
}

export type ErrorBody = {
  error: {
    code: string;
    message: string;
    messages: { 'zh-CN': string; 'en-US': string };
    details?: Record<string, unknown>;
  };
};

/** The one place an error becomes a response body, in the caller's language with both at hand. */
export function presentError(err: AppError, locale: Locale): ErrorBody {
  const { fields, ...rest } = err.details ?? {};
  const details: Record<string, unknown> = { ...rest };
  if (fields) {
    details.fields = fields.map((f) => ({
      field: f.field,
      rule: f.rule,
      message: translate(locale, f.key, { field: f.field, ...f.params }),
      messages: {
        'zh-CN': translate('zh-CN', f.key, { field: f.field, ...f.params }),
        'en-US': translate('en-US', f.key, { field: f.field, ...f.params }),
      },
    }));
  }
  const firstField = fields?.[0];
  const key = firstField && err.key === 'error.validation' ? 'error.validationField' : err.key;
  const params = firstField
    ? {
        ...err.params,
        field: firstField.field,
        detail: translate(locale, firstField.key, { field: firstField.field, ...firstField.params }),
      }
    : err.params;
  const message = (l: Locale) =>
    firstField && key === 'error.validationField'
      ? translate(l, key, {
          ...params,
          detail: translate(l, firstField.key, { field: firstField.field, ...firstField.params }),
        })
      : translate(l, key, params);
  return {
    error: {
      code: err.code,
      message: message(locale),
      messages: { 'zh-CN': message('zh-CN'), 'en-US': message('en-US') },
      ...(Object.keys(details).length > 0 ? { details } : {}),
    },
  };
}
