import { Checkbox, DatePicker, Form, type FormInstance, Input, Modal, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useT } from '../../i18n/i18n';

export type ChangeValues = { reason: string; effectiveFrom: string; publish: boolean };
type FormShape = { reason: string; effectiveFrom: Dayjs | null; publish: boolean };

/**
 * Every change to a list entry is a dated, attributable version: this asks why (the law, decision or notice
 * behind it), from when it applies, and whether to publish it now or keep it as a draft.
 */
export function ChangeDialog({
  open,
  mode,
  saving,
  form,
  onCancel,
  onSubmit,
}: {
  open: boolean;
  mode: 'create' | 'amend' | 'repeal';
  saving: boolean;
  form: FormInstance<FormShape>;
  onCancel: () => void;
  onSubmit: (values: ChangeValues) => void;
}) {
  const t = useT();
  const title =
    mode === 'repeal'
      ? t('catalog.change.repealTitle')
      : mode === 'create'
        ? t('catalog.change.createTitle')
        : t('catalog.change.amendTitle');
  return (
    <Modal
      open={open}
      title={title}
      okText={mode === 'repeal' ? t('catalog.change.repeal') : t('common.save')}
      okButtonProps={{ danger: mode === 'repeal', ...{ 'data-testid': 'change-submit' } }}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onCancel}
      // Each opening starts afresh: the form is unmounted on close and forgets its values (preserve=false).
      destroyOnHidden
    >
      {mode === 'repeal' ? (
        <Typography.Paragraph>{t('catalog.change.repealHint')}</Typography.Paragraph>
      ) : null}
      <Form<FormShape>
        form={form}
        name="catalog-change"
        layout="vertical"
        initialValues={{ reason: '', effectiveFrom: dayjs(), publish: true }}
        preserve={false}
        onFinish={(values) =>
          onSubmit({
            reason: values.reason.trim(),
            effectiveFrom: (values.effectiveFrom ?? dayjs()).format('YYYY-MM-DD'),
            publish: values.publish,
          })
        }
        data-testid="change-form"
      >
        <Form.Item
          name="reason"
          label={t('catalog.change.reason')}
          extra={t('catalog.change.reasonHint')}
          rules={[{ required: true, whitespace: true, message: t('form.required') }]}
        >
          <Input.TextArea autoSize={{ minRows: 2 }} maxLength={1000} />
        </Form.Item>
        <Form.Item name="effectiveFrom" label={t('catalog.change.effectiveFrom')}>
          <DatePicker allowClear={false} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="publish" valuePropName="checked">
          <Checkbox>{t('catalog.change.publishNow')}</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}
