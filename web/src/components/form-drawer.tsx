import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Drawer, Flex, Form, type FormInstance } from 'antd';
import { type ReactNode, useEffect } from 'react';
import { useT } from '../i18n/i18n';
import { useReportError } from './api-errors';

/**
 * Starts a dialog's form afresh each time it opens. A drawer or modal reopened while its closing
 * animation runs is not remounted, and would otherwise show the values of the last record.
 */
export function useResetOnOpen<V>(form: FormInstance<V>, open: boolean): void {
  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);
}

/** A create or edit form in a drawer, with Save and Cancel in its footer. */
export function FormDrawer<V>({
  open,
  title,
  form,
  name,
  saving,
  initialValues,
  onClose,
  onSubmit,
  children,
}: {
  open: boolean;
  title: ReactNode;
  form: FormInstance<V>;
  name: string;
  saving: boolean;
  initialValues?: Partial<V>;
  onClose: () => void;
  onSubmit: (values: V) => void;
  children: ReactNode;
}) {
  const t = useT();
  useResetOnOpen(form, open);
  return (
    <Drawer
      open={open}
      title={title}
      size={520}
      onClose={onClose}
      destroyOnHidden
      footer={
        <Flex justify="flex-end" gap="small">
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button
            type="primary"
            loading={saving}
            onClick={() => form.submit()}
            data-testid={`${name}-submit`}
          >
            {t('common.save')}
          </Button>
        </Flex>
      }
    >
      <Form<V>
        form={form}
        name={name}
        layout="vertical"
        initialValues={initialValues}
        onFinish={onSubmit}
        preserve={false}
        data-testid={`${name}-form`}
      >
        {children}
      </Form>
    </Drawer>
  );
}

/**
 * A create/update call made from a form: on success the resource's lists are fetched again and the user is told;
 * on failure the server's field errors go under the form's fields.
 */
export function useFormMutation<V, R>({
  resource,
  form,
  mutationFn,
  successMessage,
  onSuccess,
}: {
  resource: string | string[];
  form?: FormInstance<V>;
  mutationFn: (values: V) => Promise<R>;
  successMessage: string;
  onSuccess?: (result: R) => void;
}) {
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const report = useReportError();
  return useMutation({
    mutationFn,
    onSuccess: async (result) => {
      message.success(successMessage);
      for (const key of Array.isArray(resource) ? resource : [resource]) {
        await queryClient.invalidateQueries({ queryKey: [key] });
      }
      onSuccess?.(result);
    },
    onError: (error) => report(error, form),
  });
}
