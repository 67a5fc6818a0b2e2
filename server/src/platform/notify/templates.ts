import type { Locale } from '../i18n.js';

/**
 * Message templates per event type, in zh-CN and en-US. A module registers the templates of its events
 * once, at import (`registerTemplate('case.accepted', { 'zh-CN': …, 'en-US': … })`); the dispatcher renders
 * the one for the event's type in the recipient's language. The payload is the event's payload as it was
 * written to the outbox, so a template should only read what the event put there.
 */

/** What one event says on every channel. SMS text is sent as is: keep it short and free of ID numbers. */
export type RenderedMessage = {
  sms: string;
  emailSubject: string;
  emailBody: string;
  inappTitle: string;
  inappBody: string;
  /** Where the in-app message leads (absolute or portal-relative), if anywhere. */
  link?: string;
};

/** What a template may use besides the payload. */
export type TemplateEnv = {
  /** PUBLIC_URL without a trailing slash, for links in SMS and e-mail. */
  publicUrl: string;
};

export type TemplateFn<P> = (payload: P, env: TemplateEnv) => RenderedMessage;

/** One function per language: both are required, so a recipient never gets a raw key. */
export type Template<P> = Record<Locale, TemplateFn<P>>;

const templates = new Map<string, Template<unknown>>();

/** Register (or replace) the template of an event type. */
export function registerTemplate<P>(eventType: string, template: Template<P>): void {
  templates.set(eventType, template as Template<unknown>);
}

export function hasTemplate(eventType: string): boolean {
  return templates.has(eventType);
}

export function templateTypes(): string[] {
  return [...templates.keys()];
}

export class MissingTemplateError extends Error {
  constructor(readonly eventType: string) {
    super(`no notification template is registered for event type "${eventType}"`);
  }
}

export function renderTemplate(
  eventType: string,
  locale: Locale,
  payload: unknown,
  env: TemplateEnv,
): RenderedMessage {
  const template = templates.get(eventType);
  if (!template) throw new MissingTemplateError(eventType);
  return template[locale](payload, env);
}

/** A notice written by hand in both languages: announcements, tests of the channels. */
export type SystemNoticePayload = {
  'zh-CN': { title: string; body: string };
  'en-US': { title: string; body: string };
  link?: string;
};

const notice =
  (locale: Locale): TemplateFn<SystemNoticePayload> =>
  (p) => ({
    sms: `${p[locale].title}${locale === 'zh-CN' ? ':' : ': '}${p[locale].body}`,
    emailSubject: p[locale].title,
    emailBody: p[locale].body,
    inappTitle: p[locale].title,
    inappBody: p[locale].body,
    ...(p.link ? { link: p.link } : {}),
  });

registerTemplate<SystemNoticePayload>('system.notice', {
  'zh-CN': notice('zh-CN'),
  'en-US': notice('en-US'),
});
