import { App, type FormInstance } from 'antd';
import { useCallback } from 'react';
import { type FieldError, isApiError } from '../api/client';
import { useT } from '../i18n/i18n';

type NamePath = (string | number)[];

/** `roles.0.departmentId` → `['roles', 0, 'departmentId']`, the name antd gives a Form.List field. */
export function toNamePath(field: string): NamePath {
  return field.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/**
 * Puts the server's field errors under the matching form fields.
 * Returns the errors that name no field of this form, so that they can be shown elsewhere.
 */
export function applyFieldErrors<T>(form: FormInstance<T>, fields: FieldError[]): FieldError[] {
  const registered = new Set(form.getFieldsError().map((entry) => JSON.stringify(entry.name)));
  const byField = new Map<string, string[]>();
  for (const error of fields) byField.set(error.field, [...(byField.get(error.field) ?? []), error.message]);

  const unmatched: FieldError[] = [];
  const updates: { name: NamePath; errors: string[] }[] = [];
  for (const [field, errors] of byField) {
    const name = toNamePath(field);
    if (registered.has(JSON.stringify(name))) updates.push({ name, errors });
    else unmatched.push(...fields.filter((f) => f.field === field));
  }
  // setFields is typed against the form's own names; server paths are only known at run time.
  if (updates.length > 0) (form as FormInstance).setFields(updates);
  return unmatched;
}

/**
 * Shows a failed call to the user: field errors under their fields when a form is given,
 * everything else in a notification with the server's (already localized) message.
 */
export function useReportError() {
  const { notification } = App.useApp();
  const t = useT();
  return useCallback(
    <T,>(error: unknown, form?: FormInstance<T>) => {
      if (!isApiError(error)) {
        notification.error({
          title: t('error.generic'),
          description: error instanceof Error ? error.message : '',
        });
        return;
      }
      if (error.status === 401) return; // the session guard sends the user to the login page
      const unmatched = form ? applyFieldErrors(form, error.fields) : error.fields;
      if (form && error.fields.length > 0 && unmatched.length === 0) return;
      const description = [error.message, ...unmatched.map((f) => `${f.field}: ${f.message}`)].join('\n');
      notification.error({
        title: error.status === 0 ? t('error.network') : t('error.generic'),
        description: <span style={{ whiteSpace: 'pre-line' }}>{description}</span>,
      });
    },
    [notification, t],
  );
}
